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
        // A classifier horizon longer than the test part (a fifth of 1500 days) leaves nothing
        // to label: 64 naming the option, before any fitting (it trapped). NumericOptionTests
        // runs --horizon 0 to completion.
        let directory = try Fixtures.temporaryDirectory()
        let long = try Executables.run(
            "regimen",
            [
                "regimes", "classify", "--data", Self.synthetic, "--horizon", "1000", "--out",
                directory.appendingPathComponent("c.json").path,
            ])
        #expect(
            long.status == 64 && long.standardError.contains("--horizon 1000 leaves no labelled rows"), "\(long.standardError)")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("c.json").path))
        let restarts = try Executables.run(
            "regimen", ["regimes", "fit", "--data", Self.synthetic, "--restarts", "101", "--out", "/tmp/x.json"])
        #expect(restarts.status == 64 && restarts.standardError.contains("--restarts must be from 1 to 100; found 101"))
    }
}
