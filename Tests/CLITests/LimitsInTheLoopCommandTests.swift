import Foundation
import TestSupport
import Testing

/// `--limits` on `regimen backtest` and `regimen evaluate`: every decision of every
/// allocator goes through the daily job's limits, and each reports what bound.
@Suite("limits in the loop (backtest, evaluate)")
struct LimitsInTheLoopCommandTests {
    static let synthetic = BacktestAndEvaluateCommandTests.synthetic

    static func limitsFile(_ text: String) throws -> String {
        let url = try Fixtures.temporaryDirectory().appendingPathComponent("limits.yaml")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test("a backtest under a 10% cap holds at most 10% and counts every decision the cap bound")
    func backtest() throws {
        let limits = try Self.limitsFile("max_weight: 0.1\n")
        let arguments = [
            "backtest", "--data", Self.synthetic, "--strategy", "equal-weight", "--from", "2021-01-01", "--to", "2021-01-31",
            "--json",
        ]
        let run = try Executables.run("regimen", arguments + ["--limits", limits])
        #expect(run.status == 0, "\(run.standardError)")
        let file = try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
        // Equal weight over 8 assets is 12.5% each: the cap binds on all 31 daily decisions.
        #expect(file["limits_binding"] as? [String: Int] == ["max_weight": 31])
        let series = try #require(file["series"] as? [[String: Any]])
        for row in series {
            let weights = try #require(row["weights"] as? [String: Double])
            #expect(weights.filter { $0.key != "CASH" }.values.allSatisfy { $0 <= 0.1 + 1e-12 })
        }
        // Negative control: without --limits, no count and 12.5% weights.
        let free = try Executables.run("regimen", arguments)
        #expect(!free.standardOutput.contains("limits_binding") && free.standardOutput.contains("0.125"))
    }

    @Test("evaluate applies the limits to every allocator and reports what bound")
    func evaluate() throws {
        let limits = try Self.limitsFile("max_weight: 0.2\nmin_cash: 0.1\n")
        let report = try Fixtures.temporaryDirectory().appendingPathComponent("report")
        let run = try Executables.run(
            "regimen",
            [
                "evaluate", "--data", Self.synthetic, "--baselines", "equal-weight,min-variance", "--from", "2021-06-01", "--to",
                "2021-08-31", "--limits", limits, "--report", report.path,
            ])
        #expect(run.status == 0, "\(run.standardError)")
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: report.appendingPathComponent("report.json")))
                as? [String: Any])
        let allocators = try #require(json["allocators"] as? [[String: Any]])
        #expect(allocators.count == 2)
        for allocator in allocators {
            let metrics = try #require(allocator["metrics"] as? [String: Any])
            let binding = try #require(metrics["limits_binding"] as? [String: Int], "\(allocator["name"] ?? "")")
            #expect(!binding.isEmpty)
            // Equal weight (8 x 12.5%) is under the 20% cap but over the 90% budget.
            if allocator["name"] as? String == "equal-weight" { #expect(binding == ["min_cash": 92]) }
        }
        let html = try String(contentsOf: report.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("limits bound: "))
    }

    @Test("a limits file naming an asset the data do not have is refused (65), and nothing is written")
    func unknownAsset() throws {
        let limits = try Self.limitsFile("asset_max:\n  BTC: 0.1\n")
        let out = try Fixtures.temporaryDirectory().appendingPathComponent("b.json")
        let run = try Executables.run(
            "regimen",
            ["backtest", "--data", Self.synthetic, "--strategy", "equal-weight", "--limits", limits, "--out", out.path])
        #expect(run.status == 65 && run.standardError.contains("asset_max names 'BTC'"), "\(run.standardError)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }
}
