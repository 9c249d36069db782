import Foundation
import TestSupport
import Testing

/// `regimen backtest` and `regimen evaluate` on the committed synthetic default.
@Suite("regimen backtest and evaluate")
struct BacktestAndEvaluateCommandTests {
    static let synthetic = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../data/synthetic").standardized.path

    @Test("backtest writes the contract's file with every metric and a series row per period")
    func backtest() throws {
        let run = try Executables.run(
            "regimen",
            [
                "backtest", "--data", Self.synthetic, "--strategy", "inverse-vol", "--from", "2021-01-01", "--to", "2021-03-31",
                "--rebalance", "every:7", "--fee-bps", "20", "--json",
            ])
        #expect(run.status == 0, "\(run.standardError)")
        let file = try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
        #expect(file["schema"] as? String == "regimen.backtest/v1")
        #expect(file["start"] as? String == "2021-01-01" && file["end"] as? String == "2021-03-31")
        for key in [
            "final_wealth", "cagr", "vol_annual", "sharpe", "sortino", "max_drawdown", "calmar", "turnover_annual", "costs_paid",
            "funding_paid", "var", "es", "periods_per_year",
        ] {
            #expect(file[key] != nil, "missing \(key)")
        }
        let series = try #require(file["series"] as? [[String: Any]])
        #expect(series.count == 90)
        #expect(Set(series[0].keys) == ["date", "return", "wealth", "weights"])
    }

    @Test(
        "backtest date mistakes exit with the contract's status and a message naming the dates",
        arguments: [
            (["--from", "2021-03-01", "--to", "2021-02-01"], Int32(64), "--from 2021-03-01 is after --to 2021-02-01"),
            (["--from", "2021-13-01"], Int32(64), "--from must be a date YYYY-MM-DD; found '2021-13-01'"),
            (
                ["--from", "2030-01-01"], Int32(65),
                "is not a date of \(synthetic)/prices.csv, which runs from 2018-01-01 to 2022-02-08"
            ),
            (["--from", "2018-01-01"], Int32(65), "does not fit the data: returns run from 2018-01-02 to 2022-02-08"),
            (["--to", "2018-01-01"], Int32(65), "equal-weight can first decide on 2018-04-01, so the range must end after it"),
        ])
    func backtestDateMistakes(options: [String], status: Int32, message: String) throws {
        let run = try Executables.run(
            "regimen", ["backtest", "--data", Self.synthetic, "--strategy", "equal-weight", "--json"] + options)
        #expect(run.status == status)
        #expect(run.standardError.contains(message), "\(run.standardError)")
        #expect(run.standardOutput.isEmpty)
    }

    @Test("evaluate writes report.json and report.html; a bad request exits with a message")
    func evaluate() throws {
        let directory = try Fixtures.temporaryDirectory()
        let run = try Executables.run(
            "regimen",
            [
                "evaluate", "--data", Self.synthetic, "--baselines", "equal-weight,eg,ucrp", "--from", "2021-06-01", "--to",
                "2021-09-30", "--report", directory.path,
            ])
        #expect(run.status == 0, "\(run.standardError)")
        let html = try String(contentsOf: directory.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("<svg id=\"wealth\""))
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("report.json")))
                as? [String: Any])
        #expect((json["allocators"] as? [Any])?.count == 3)
        #expect(json["reference"] as? String == "equal-weight")
        let pbo = try #require(json["pbo"] as? Double)
        #expect(pbo >= 0 && pbo <= 1)
        let early = try Executables.run(
            "regimen",
            [
                "evaluate", "--data", Self.synthetic, "--baselines", "min-variance", "--from", "2018-01-05", "--to", "2018-06-30",
                "--report", directory.path,
            ])
        #expect(early.status == 64)
        #expect(early.standardError.contains("needs 90 returns before it decides"))
        let models = try Executables.run(
            "regimen",
            [
                "evaluate", "--data", Self.synthetic, "--models", directory.path, "--versions", "default:1", "--from",
                "2021-06-01", "--to", "2021-09-30", "--report", directory.path,
            ])
        #expect(models.status == 66)
        #expect(models.standardError.contains("no model named 'default'"))
        let reversed = try Executables.run(
            "regimen",
            ["evaluate", "--data", Self.synthetic, "--from", "2021-09-30", "--to", "2021-06-01", "--report", directory.path])
        #expect(reversed.status == 64 && reversed.standardError.contains("--from 2021-09-30 must be before --to 2021-06-01"))
    }
}
