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

    @Test("evaluate --baselines min-variance,min-variance:ledoit-wolf compares both, under those names")
    func estimatorSuffix() throws {
        let directory = try Fixtures.temporaryDirectory()
        let run = try Executables.run(
            "regimen",
            [
                "evaluate", "--data", Self.synthetic, "--baselines", "min-variance,min-variance:ledoit-wolf", "--from",
                "2021-06-01", "--to", "2021-07-31", "--report", directory.path,
            ])
        #expect(run.status == 0, "\(run.standardError)")
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("report.json")))
                as? [String: Any])
        let names = try #require(json["allocators"] as? [[String: Any]]).compactMap { $0["name"] as? String }
        #expect(names == ["equal-weight", "min-variance", "min-variance:ledoit-wolf"])
        let series = try #require(json["series"] as? [String: Any])
        let weights = try #require(series["weights"] as? [String: [String: [Double]]])
        let plain = try #require(weights["min-variance"])
        let shrunk = try #require(weights["min-variance:ledoit-wolf"])
        #expect(plain.keys.sorted() == shrunk.keys.sorted())
        let gap = plain.keys.flatMap { asset in zip(plain[asset]!, shrunk[asset]!).map { Swift.abs($0 - $1) } }.max() ?? 0
        #expect(gap > 1e-3, "the two allocators hold the same weights")
        let html = try String(contentsOf: directory.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("min-variance:ledoit-wolf"))
    }

    @Test(
        "a suffix where none is allowed exits 64 with the valid forms, and nothing is written",
        arguments: [
            (
                ["evaluate", "--baselines", "min-variance,equal-weight:ewma", "--from", "2021-06-01", "--to", "2021-07-31"],
                "equal-weight takes no estimator suffix (found 'equal-weight:ewma'); only inverse-vol, min-variance, max-sharpe, risk-parity, hrp do, as NAME:sample, NAME:ewma, NAME:ledoit-wolf"
            ),
            (
                ["evaluate", "--baselines", "min-variance:foo", "--from", "2021-06-01", "--to", "2021-07-31"],
                "unknown estimator 'foo' in 'min-variance:foo'; valid: min-variance, min-variance:sample, min-variance:ewma, min-variance:ledoit-wolf"
            ),
            (
                ["backtest", "--strategy", "ubah:ledoit-wolf", "--json"],
                "ubah takes no estimator suffix (found 'ubah:ledoit-wolf')"
            ),
            (
                ["baseline", "--strategy", "eg:sample", "--as-of", "2021-06-01", "--json"],
                "eg takes no estimator suffix (found 'eg:sample')"
            ),
        ])
    func suffixRefused(_ arguments: [String], message: String) throws {
        let directory = try Fixtures.temporaryDirectory()
        let report = arguments[0] == "evaluate" ? ["--report", directory.appendingPathComponent("report").path] : []
        let run = try Executables.run("regimen", Array(arguments[...0]) + ["--data", Self.synthetic] + arguments[1...] + report)
        #expect(run.status == 64)
        #expect(run.standardError.contains(message), "\(run.standardError)")
        #expect(run.standardOutput.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("report").path))
    }

    @Test("baseline and backtest name a suffixed allocator by its suffix, and NAME:sample by NAME")
    func suffixedNamesInFiles() throws {
        let weights = try Executables.run(
            "regimen",
            ["baseline", "--data", Self.synthetic, "--strategy", "hrp:ewma", "--as-of", "2021-06-01", "--json"])
        #expect(weights.status == 0, "\(weights.standardError)")
        let file = try #require(try JSONSerialization.jsonObject(with: Data(weights.standardOutput.utf8)) as? [String: Any])
        #expect((file["source"] as? [String: Any])?["name"] as? String == "hrp:ewma")
        let backtest = try Executables.run(
            "regimen",
            [
                "backtest", "--data", Self.synthetic, "--strategy", "risk-parity:sample", "--from", "2021-06-01", "--to",
                "2021-06-30", "--json",
            ])
        #expect(backtest.status == 0, "\(backtest.standardError)")
        let result = try #require(try JSONSerialization.jsonObject(with: Data(backtest.standardOutput.utf8)) as? [String: Any])
        #expect(result["strategy"] as? String == "risk-parity")
    }
}
