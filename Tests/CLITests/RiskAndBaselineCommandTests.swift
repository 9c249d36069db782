import Foundation
import TestSupport
import Testing

/// `regimen baseline` and `regimen risk` on the committed synthetic default, as a user runs them.
@Suite("regimen baseline and risk")
struct RiskAndBaselineCommandTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..")
        .standardized
    static let synthetic = repository.appendingPathComponent("data/synthetic").path

    @Test("baseline writes a weights file that risk then reads")
    func baselineThenRisk() throws {
        let directory = try Fixtures.temporaryDirectory()
        let weights = directory.appendingPathComponent("weights.json")
        let baseline = try Executables.run(
            "regimen",
            ["baseline", "--data", Self.synthetic, "--strategy", "hrp", "--as-of", "2021-06-30", "--out", weights.path])
        #expect(baseline.status == 0)
        let file = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: weights)) as? [String: Any])
        #expect(file["schema"] as? String == "regimen.weights/v1")
        #expect(file["as_of"] as? String == "2021-06-30")
        let shares = try #require(file["weights"] as? [String: Double])
        #expect(Swift.abs(shares.values.reduce(0, +) - 1) < 1e-9)
        #expect(shares["CASH"] == 0)
        #expect((file["source"] as? [String: String])?["name"] == "hrp")
        #expect((file["risk"] as? [String: Double])?["confidence"] == 0.99)

        let riskFile = directory.appendingPathComponent("risk.json")
        let risk = try Executables.run(
            "regimen",
            ["risk", "--data", Self.synthetic, "--weights", weights.path, "--estimator", "ledoit-wolf", "--out", riskFile.path])
        #expect(risk.status == 0)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: riskFile)) as? [String: Any])
        #expect(report["schema"] as? String == "regimen.risk/v1")
        #expect(report["window"] as? Int == 90)
        #expect((report["var"] as? [String: Double])?.keys.sorted() == ["cornish_fisher", "gaussian", "historical"])
        #expect((report["es"] as? [String: Double])?.keys.sorted() == ["gaussian", "historical"])
        #expect((report["covariance"] as? [String: Any])?["estimator"] as? String == "ledoit-wolf")
        #expect((report["stress"] as? [[String: Any]])?.count ?? 0 >= 5)
    }

    @Test("the same inputs give the same bytes")
    func deterministic() throws {
        let first = try Executables.run(
            "regimen", ["baseline", "--data", Self.synthetic, "--strategy", "anticor", "--as-of", "2021-06-30", "--json"])
        let second = try Executables.run(
            "regimen", ["baseline", "--data", Self.synthetic, "--strategy", "anticor", "--as-of", "2021-06-30", "--json"])
        #expect(first.status == 0 && first.standardOutput == second.standardOutput)
    }

    @Test(
        "refusals a user would meet",
        arguments: [
            (["baseline", "--strategy", "bcrp", "--as-of", "2021-06-30", "--json"], Int32(64), "bcrp chooses with hindsight"),
            (["baseline", "--strategy", "magic", "--as-of", "2021-06-30", "--json"], 64, "equal-weight"),
            (["baseline", "--strategy", "hrp", "--as-of", "2017-06-30", "--json"], 65, "is not a date of"),
            (["baseline", "--strategy", "hrp", "--as-of", "2018-01-10", "--json"], 65, "no asset has a price on every row"),
            (["risk", "--weights", "/nonexistent.json", "--json"], 66, "/nonexistent.json: file not found"),
            (["risk", "--weights", RiskAndBaselineCommandTests.synthetic + "/dataset.yaml", "--json"], 65, "not a weights file"),
        ])
    func refusals(_ testCase: ([String], Int32, String)) throws {
        let run = try Executables.run("regimen", testCase.0 + ["--data", Self.synthetic])
        #expect(run.status == testCase.1, "\(testCase.0): \(run.standardError)")
        #expect(run.standardError.contains(testCase.2), "\(run.standardError)")
    }
}
