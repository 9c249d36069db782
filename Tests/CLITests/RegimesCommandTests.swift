import Foundation
import TestSupport
import Testing

@Suite("regimen regimes")
struct RegimesCommandTests {
    static let synthetic = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../data/synthetic").standardized.path

    @Test("fit prints the states and writes regimen.regimes/v1 with the contract's fields")
    func fit() throws {
        let directory = try Fixtures.temporaryDirectory()
        let out = directory.appendingPathComponent("regimes.json")
        let run = try Executables.run(
            "regimen",
            [
                "regimes", "fit", "--data", Self.synthetic, "--states", "3", "--restarts", "1", "--names", "calm,trend,crisis",
                "--out", out.path,
            ])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(
            run.standardError.contains("r0 calm") && run.standardError.contains("avg corr")
                && run.standardError.contains("duration"))
        let file = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: out)) as? [String: Any])
        #expect(file["schema"] as? String == "regimen.regimes/v1")
        for key in [
            "states", "n_observations", "log_likelihood", "log_likelihood_per_observation", "startprob", "transmat", "means",
            "covars", "labels", "filtered",
        ] {
            #expect(file[key] != nil, "missing \(key)")
        }
        #expect((file["labels"] as? [String])?.count == file["n_observations"] as? Int)
        #expect(file["state_names"] as? [String] == ["calm", "trend", "crisis"])
    }

    @Test("bad requests name the problem")
    func refusals() throws {
        let names = try Executables.run(
            "regimen", ["regimes", "fit", "--data", Self.synthetic, "--states", "3", "--names", "a,b", "--out", "/tmp/x.json"])
        #expect(names.status == 64 && names.standardError.contains("--names must give 3 names"))
        let missing = try Executables.run(
            "regimen", ["regimes", "fit", "--observations", "/nonexistent.csv", "--out", "/tmp/x.json"])
        #expect(missing.status == 66)
    }
}
