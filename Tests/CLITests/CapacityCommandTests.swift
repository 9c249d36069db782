import Foundation
import TestSupport
import Testing

/// `--aum` (contract section 11) from the command line: `backtest --aum USD`, `evaluate --aum
/// A1,A2,...` with its capacity table, and a sweep spec's `aum`, on a small synthetic market
/// with an `ohlcv.csv` whose three assets differ a hundredfold in liquidity.
@Suite("--aum: market impact and capacity from the command line", .serialized)
struct CapacityCommandTests {
    /// 3 assets x 400 days (2018-01-01 .. 2019-02-04) with an `ohlcv.csv` in units of the
    /// asset: SYN1 trades 1e7 USD a day, SYN2 1e8, SYN3 1e9.
    static let data: String = {
        let folder = try! Fixtures.temporaryDirectory().appendingPathComponent("data")
        let run = try! Executables.run(
            "regimen", ["data", "synth", "--out", folder.path, "--assets", "3", "--periods", "400", "--seed", "3"])
        precondition(run.status == 0, run.standardError)
        try! writeVolumes(in: folder)
        return folder.path
    }()

    /// Writes `ohlcv.csv` beside `prices.csv`: a row per listed asset and date, the volume in
    /// units of the asset worth 1e7, 1e8, 1e9 USD for the first, second, third asset; `drop`
    /// leaves out the row of (asset, date).
    static func writeVolumes(in folder: URL, drop: (asset: String, date: String)? = nil) throws {
        let lines = try String(contentsOf: folder.appendingPathComponent("prices.csv"), encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let assets = lines[0].dropFirst()
        var out = ["date,asset,close,volume"]
        for fields in lines.dropFirst() {
            for (k, asset) in assets.enumerated() where !fields[k + 1].isEmpty {
                guard drop.map({ $0.asset != asset || $0.date != fields[0] }) ?? true else { continue }
                let close = Double(fields[k + 1])!
                out.append("\(fields[0]),\(asset),\(fields[k + 1]),\(pow(10, 7 + Double(k % 3)) / close)")
            }
        }
        try (out.joined(separator: "\n") + "\n").write(
            to: folder.appendingPathComponent("ohlcv.csv"), atomically: true, encoding: .utf8)
    }

    /// `regimen backtest` of equal-weight (daily, 10 bps) on `data`, the file on standard output.
    static func backtest(_ extra: [String], data: String = data) throws -> Executables.Run {
        try Executables.run(
            "regimen",
            [
                "backtest", "--data", data, "--strategy", "equal-weight", "--from", "2018-11-01", "--to", "2019-01-30",
                "--fee-bps", "10", "--json",
            ] + extra)
    }

    /// The JSON object of `text`.
    static func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test("--aum 0 writes the file without --aum byte for byte but for its aum key (negative control: --aum 1e6 differs)")
    func zeroIsNoImpact() throws {
        let plain = try Self.backtest([])
        let zero = try Self.backtest(["--aum", "0"])
        let some = try Self.backtest(["--aum", "1e6"])
        #expect(plain.status == 0 && zero.status == 0 && some.status == 0, "\(zero.standardError) \(some.standardError)")
        // The file's lines with the aum key's line left out, and that line.
        let split = { (text: String) in
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            let isAUM = { (line: Substring) in line.hasPrefix("  \"aum\" :") }
            return (lines.filter { !isAUM($0) }.joined(separator: "\n"), lines.filter(isAUM))
        }
        #expect(split(zero.standardOutput).1 == ["  \"aum\" : 0,"] && split(plain.standardOutput).1.isEmpty)
        #expect(split(zero.standardOutput).0 == plain.standardOutput)
        #expect(split(some.standardOutput).1 == ["  \"aum\" : 1000000,"])
        #expect(split(some.standardOutput).0 != plain.standardOutput)
    }

    @Test("costs_paid grows with the capital over 1e5 .. 1e8, and the Sharpe ratio falls")
    func costsGrow() throws {
        var costs: [Double] = []
        var sharpes: [Double] = []
        for aum in ["0", "1e5", "1e6", "1e7", "1e8"] {
            let run = try Self.backtest(["--aum", aum])
            #expect(run.status == 0, "\(run.standardError)")
            let file = try Self.object(run.standardOutput)
            #expect((file["aum"] as? Double) == Double(aum))
            costs.append(try #require(file["costs_paid"] as? Double))
            sharpes.append(try #require(file["sharpe"] as? Double))
        }
        #expect(zip(costs, costs.dropFirst()).allSatisfy { $0 < $1 }, "\(costs)")
        #expect(zip(sharpes, sharpes.dropFirst()).allSatisfy { $0 > $1 }, "\(sharpes)")
    }

    @Test("an asset traded without volume in its window ends 65 naming the asset and the date, and writes nothing")
    func missingVolume() throws {
        let folder = try Fixtures.temporaryDirectory()
        for name in ["prices.csv", "dataset.yaml", "funding.csv", "features.csv"] {
            try FileManager.default.copyItem(
                at: URL(fileURLWithPath: Self.data).appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        try Self.writeVolumes(in: folder, drop: ("SYN2", "2018-12-10"))
        let out = folder.appendingPathComponent("b.json")
        let base = [
            "backtest", "--data", folder.path, "--strategy", "equal-weight", "--from", "2018-11-01", "--to", "2019-01-30",
            "--out", out.path,
        ]
        let run = try Executables.run("regimen", base + ["--aum", "1e6"])
        #expect(run.status == 65, "\(run.standardError)")
        #expect(run.standardError.contains("ohlcv.csv has no volume for SYN2 on 2018-12-10"), "\(run.standardError)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
        // Negative control: without --aum the same data need no volume.
        let plain = try Executables.run("regimen", base)
        #expect(plain.status == 0 && FileManager.default.fileExists(atPath: out.path), "\(plain.standardError)")
    }

    @Test("evaluate --aum 1e5,1e7: capacity has one entry per allocator per capital, the page its chart; none without --aum")
    func evaluateCapacity() throws {
        let report = try Fixtures.temporaryDirectory()
        let base = [
            "evaluate", "--data", Self.data, "--baselines", "equal-weight,min-variance,ucrp", "--from", "2018-11-01", "--to",
            "2019-01-30", "--fee-bps", "10",
        ]
        let run = try Executables.run("regimen", base + ["--aum", "1e5,1e7", "--report", report.path])
        #expect(run.status == 0, "\(run.standardError)")
        let json = try Self.object(String(contentsOf: report.appendingPathComponent("report.json"), encoding: .utf8))
        #expect(json["aum"] as? Double == 1e5)
        let capacity = try #require(json["capacity"] as? [[String: Any]])
        let allocators = try #require(json["allocators"] as? [[String: Any]])
        #expect(capacity.count == allocators.count * 2)
        for allocator in allocators {
            let name = try #require(allocator["name"] as? String)
            let rows = capacity.filter { $0["allocator"] as? String == name }
            #expect(rows.compactMap { $0["aum"] as? Double } == [1e5, 1e7], "\(name)")
            let costs = rows.compactMap { $0["costs_paid"] as? Double }
            #expect(costs.count == 2 && costs[0] < costs[1], "\(name): \(costs)")
            #expect(rows.allSatisfy { $0["sharpe"] != nil && $0["cagr"] is Double }, "\(name)")
            // The headline evaluation is charged at the first capital listed.
            let metrics = try #require(allocator["metrics"] as? [String: Any])
            #expect(metrics["costs_paid"] as? Double == costs.first, "\(name)")
        }
        let html = try String(contentsOf: report.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("<svg id=\"capacity\"") && html.contains("$10M"))
        let plainReport = try Fixtures.temporaryDirectory()
        let plain = try Executables.run("regimen", base + ["--report", plainReport.path])
        #expect(plain.status == 0, "\(plain.standardError)")
        let plainJSON = try Self.object(String(contentsOf: plainReport.appendingPathComponent("report.json"), encoding: .utf8))
        #expect(plainJSON["capacity"] == nil && plainJSON["aum"] == nil)
        let plainHTML = try String(contentsOf: plainReport.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(!plainHTML.contains("<svg id=\"capacity\""))
    }

    @Test("a recipe's capacity reruns reuse its fold models: one published version per fold, whatever the capitals")
    func recipeFoldsReused() throws {
        let folder = try Fixtures.temporaryDirectory()
        let config = folder.appendingPathComponent("tiny.yaml")
        try "regime_states: 2\nregime_restarts: 1\nhidden: [4]\nwindow: 10\nbatch: 4\nepochs: 1\nsteps_per_epoch: 2\n".write(
            to: config, atomically: true, encoding: .utf8)
        let models = folder.appendingPathComponent("models")
        let run = try Executables.run(
            "regimen",
            [
                "evaluate", "--data", Self.data, "--configs", config.path, "--walk-forward", "300:30:expanding", "--models",
                models.path, "--baselines", "equal-weight", "--from", "2018-11-01", "--to", "2019-01-30", "--aum",
                "1e6,1e5,1e8", "--quiet", "--report", folder.appendingPathComponent("report").path,
            ], timeout: 300)
        #expect(run.status == 0, "\(run.standardError)")
        let json = try Self.object(
            String(contentsOf: folder.appendingPathComponent("report/report.json"), encoding: .utf8))
        let recipe = try #require((json["allocators"] as? [[String: Any]])?.first { $0["kind"] as? String == "recipe" })
        let folds = try #require(recipe["folds"] as? [[String: Any]])
        let versions = try FileManager.default.contentsOfDirectory(atPath: models.appendingPathComponent("tiny").path)
            .filter { Int($0) != nil }
        #expect(!folds.isEmpty && versions.count == folds.count, "\(versions) for \(folds.count) folds")
        let rows = (json["capacity"] as? [[String: Any]] ?? []).filter { $0["allocator"] as? String == "tiny" }
        #expect(rows.compactMap { $0["aum"] as? Double } == [1e6, 1e5, 1e8])
        #expect(json["aum"] as? Double == 1e6)
    }

    @Test(
        "hostile --aum values end 64 naming the option and its rule, and write nothing",
        arguments: [
            ("nan", "--aum must be a finite number of USD from 0 to 1e15; found 'nan'"),
            ("inf", "--aum must be a finite number of USD from 0 to 1e15; found 'inf'"),
            ("-1", "--aum must be a finite number of USD from 0 to 1e15; found '-1'"),
            ("1e16", "--aum must be a finite number of USD from 0 to 1e15; found '1e16'"),
            ("1e5,,", "found '' in '1e5,,'"),
            ("abc", "found 'abc'"),
            ("0x10", "found '0x10'"),
            ("1e5,1e6,1e5", "--aum lists 1e5 twice"),
            ((1...13).map(String.init).joined(separator: ","), "--aum lists at most 12 values; found 13"),
        ])
    func hostile(value: String, message: String) throws {
        let out = try Fixtures.temporaryDirectory().appendingPathComponent("report")
        let evaluate = try Executables.run(
            "regimen",
            [
                "evaluate", "--data", Self.data, "--baselines", "equal-weight", "--from", "2018-11-01", "--to", "2019-01-30",
                "--aum=\(value)", "--report", out.path,
            ])
        #expect(evaluate.status == 64 && evaluate.standardError.contains(message), "\(evaluate.standardError)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
        let backtest = try Self.backtest(["--aum=\(value)"])
        let single = value.contains(",") ? "--aum takes one value in backtest" : message
        #expect(backtest.status == 64 && backtest.standardError.contains(single), "\(backtest.standardError)")
        #expect(backtest.standardOutput.isEmpty)
    }

    @Test("a sweep spec's aum (and its fee) reach every run and the baselines, are recorded, and change the run ids")
    func sweepAUM() throws {
        let folder = try Fixtures.temporaryDirectory()
        let config = folder.appendingPathComponent("tiny.yaml")
        try "regime_states: 2\nregime_restarts: 1\nhidden: [4]\nwindow: 10\nbatch: 4\nepochs: 1\nsteps_per_epoch: 2\n".write(
            to: config, atomically: true, encoding: .utf8)
        var lines: [String: [String: Any]] = [:]
        var summaries: [String: [String: Any]] = [:]
        for aum in ["", "aum: 1e7", "fee_bps: 20"] {
            let fee = aum.hasPrefix("fee") ? "" : "fee_bps: 10"
            let spec = folder.appendingPathComponent("sweep\(lines.count).yaml")
            try """
            config: \(config.path)
            seeds: [1]
            walk_forward: "300:60:expanding"
            from: 2018-11-01
            to: 2018-12-30
            data: \(Self.data)
            \(fee)
            baselines: [equal-weight]
            \(aum)

            """.write(to: spec, atomically: true, encoding: .utf8)
            let out = folder.appendingPathComponent("out\(lines.count)")
            let run = try Executables.run(
                "regimen", ["sweep", "--spec", spec.path, "--out", out.path, "--quiet"], timeout: 300)
            #expect(run.status == 0, "\(run.standardError)")
            let text = try String(contentsOf: out.appendingPathComponent("runs.jsonl"), encoding: .utf8)
            lines[aum] = try Self.object(String(try #require(text.split(separator: "\n").first)))
            summaries[aum] = try Self.object(String(contentsOf: out.appendingPathComponent("summary.json"), encoding: .utf8))
        }
        let (plain, charged) = (try #require(lines[""]), try #require(lines["aum: 1e7"]))
        #expect(plain["aum"] == nil && charged["aum"] as? Double == 1e7)
        #expect(plain["run_id"] as? String != charged["run_id"] as? String)
        // A resumed sweep must rerun what a changed fee changes.
        #expect(plain["run_id"] as? String != lines["fee_bps: 20"]?["run_id"] as? String)
        let cost = { (line: [String: Any]) in (line["metrics"] as? [String: Double])?["costs_paid"] ?? .nan }
        #expect(cost(plain) < cost(charged), "\(cost(plain)) \(cost(charged))")
        let baseline = { (summary: [String: Any]?) in
            ((summary?["baselines"] as? [[String: Any]])?.first?["final_wealth"] as? Double) ?? .nan
        }
        #expect(summaries[""]?["aum"] == nil && summaries["aum: 1e7"]?["aum"] as? Double == 1e7)
        #expect(baseline(summaries["aum: 1e7"]) < baseline(summaries[""]))
    }
}
