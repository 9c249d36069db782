import Foundation
import TestSupport
import Testing

/// `regimen options price`, and a model with an options overlay through `train`,
/// `regimen-infer` (with a vega budget), `risk --scenario` and `evaluate`, as a user runs them.
@Suite("regimen options and the overlay")
struct OptionsCommandTests {
    static func csv(_ url: URL) throws -> [[String: String]] {
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map {
            $0.split(separator: ",").map(String.init)
        }
        return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(lines[0], $0)) }
    }

    @Test("options price: py_vollib's worked value in input order, and a bad row refused with nothing written")
    func price() throws {
        let directory = try Fixtures.temporaryDirectory()
        let chain = directory.appendingPathComponent("chain.csv")
        // T = 0.5 years of 365 days after 2024-01-01T00:00Z is 2024-07-01T12:00Z.
        try
            "asset,type,strike,expiry,forward,iv\nBTC,put,100,2024-07-01T12:00:00Z,100,0.2\nBTC,call,100,2024-07-01T12:00:00Z,100,0.2\n"
            .write(to: chain, atomically: true, encoding: .utf8)
        let out = directory.appendingPathComponent("priced.csv")
        let run = try Executables.run(
            "regimen", ["options", "price", "--chain", chain.path, "--rate", "0.02", "--at", "2024-01-01", "--out", out.path])
        #expect(run.status == 0, "\(run.standardError)")
        let rows = try Self.csv(out)
        #expect(rows.map { $0["type"] } == ["put", "call"])
        #expect(try Swift.abs(#require(Double(rows[1]["price"] ?? "")) - 5.5811067246048118) <= 1e-12 * 5.58)
        #expect(rows[1]["t_years"] == "0.5")
        let bad = directory.appendingPathComponent("bad.csv")
        try "asset,type,strike,expiry,forward,iv\nBTC,call,100,2023-07-01,100,0.2\n".write(
            to: bad, atomically: true, encoding: .utf8)
        let refused = directory.appendingPathComponent("refused.csv")
        let failed = try Executables.run(
            "regimen", ["options", "price", "--chain", bad.path, "--at", "2024-01-01", "--out", refused.path])
        #expect(failed.status == 65)
        #expect(failed.standardError.contains("bad.csv:2:4: expiry must be after the valuation time"))
        #expect(!FileManager.default.fileExists(atPath: refused.path))
    }

    @Test(
        "options price --implied on the Deribit example: the mark under intrinsic written with a note, others priced; --strict: 65 naming file and line"
    )
    func deribitNotes() throws {
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../data/options/example-deribit.csv").standardized.path
        let directory = try Fixtures.temporaryDirectory()
        let out = directory.appendingPathComponent("iv.csv")
        let run = try Executables.run("regimen", ["options", "price", "--chain", example, "--implied", "--out", out.path])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardError.contains("valued at 2024-01-10T08:00:00Z") && run.standardError.contains("1 with a note"))
        let lines = try String(contentsOf: out, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines[0].hasSuffix(",theta,note") && lines.count == 11)
        #expect(
            lines[1].hasPrefix("ETH,call,2000.0,2024-01-26T08:00:00Z,") && lines[1].contains(",0.2102,,,,,below intrinsic by"))
        for line in lines.dropFirst(2) {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            #expect(fields.count == 14 && !fields[6].isEmpty && !fields[12].isEmpty && fields[13].isEmpty, "\(line)")
        }
        let refused = directory.appendingPathComponent("strict.csv")
        let strict = try Executables.run(
            "regimen", ["options", "price", "--chain", example, "--implied", "--strict", "--out", refused.path])
        #expect(strict.status == 65)
        #expect(
            strict.standardError.contains("example-deribit.csv:2:8: mark_price no volatility reproduces"),
            "\(strict.standardError)")
        #expect(!FileManager.default.fileExists(atPath: refused.path))
    }

    @Test(
        "a model with a protective-put overlay: daily weights with overlay and Greeks under the caps, full-revaluation risk, both in evaluate"
    )
    func overlayModel() throws {
        let directory = try Fixtures.temporaryDirectory()
        let data = directory.appendingPathComponent("data").path
        #expect(
            try Executables.run("regimen", ["data", "synth", "--out", data, "--assets", "4", "--periods", "500", "--seed", "3"])
                .status == 0)
        let yaml = URL(fileURLWithPath: data).appendingPathComponent("dataset.yaml")
        try (String(contentsOf: yaml, encoding: .utf8) + "implied_vol:\n  SYN1: IV_INDEX\n").write(
            to: yaml, atomically: true, encoding: .utf8)
        let config = directory.appendingPathComponent("hedged.yaml")
        try """
        regime_states: 2
        regime_restarts: 1
        hidden: [8]
        window: 10
        batch: 8
        epochs: 2
        steps_per_epoch: 5
        ensemble: 1
        overlay:
          structure: protective_put
          asset: SYN1

        """.write(to: config, atomically: true, encoding: .utf8)
        let models = directory.appendingPathComponent("models").path
        let train = try Executables.run("regimen", ["train", "--data", data, "--config", config.path, "--models", models])
        #expect(train.status == 0, "\(train.standardError)")
        let limits = directory.appendingPathComponent("limits.yaml")
        try "vega_budget: 0.00005\nmax_premium: 0.02\nmax_net_delta: 0.6\n".write(to: limits, atomically: true, encoding: .utf8)
        let weights = directory.appendingPathComponent("weights.json")
        let infer = try Executables.run(
            "regimen-infer",
            [
                "--model", "hedged:1", "--models", models, "--data", data, "--as-of", "2019-05-15", "--limits", limits.path,
                "--out", weights.path,
            ])
        #expect(infer.status == 0, "\(infer.standardError)")
        let file = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: weights)) as? [String: Any])
        let overlay = try #require(file["overlay"] as? [[String: Any]])
        #expect(overlay.count == 1 && overlay[0]["type"] as? String == "put")
        let greeks = try #require(file["greeks"] as? [String: Any])
        let vega = try #require(greeks["vega"] as? Double)
        #expect(vega > 0 && vega <= 0.00005 + 1e-15, "the vega budget caps the put: \(vega)")
        let shares = try #require(file["weights"] as? [String: Double])
        #expect(try Swift.abs(shares.values.reduce(0, +) + #require(greeks["value"] as? Double) - 1) < 1e-9)
        #expect(((file["limits"] as? [String: Any])?["binding"] as? [String])?.contains("vega_budget") == true)

        try Self.overlayKeepsLimits(models: models, data: data, written: weights, directory: directory)

        let risk = directory.appendingPathComponent("risk.json")
        let riskRun = try Executables.run(
            "regimen",
            [
                "risk", "--data", data, "--weights", weights.path, "--window", "60", "--scenario", "crash=-0.5:+60", "--out",
                risk.path,
            ])
        #expect(riskRun.status == 0, "\(riskRun.standardError)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: risk)) as? [String: Any])
        let revaluation = try #require(report["overlay"] as? [String: Any])
        let scenarios = try #require(revaluation["scenarios"] as? [[String: Any]])
        #expect(scenarios.first?["name"] as? String == "crash" && (scenarios.first?["loss"] as? Double ?? 0) > 0)
        #expect((revaluation["grid"] as? [Any])?.count == 40)
        #expect(revaluation["var_full_revaluation"] as? Double != nil)
        let noOverlay = try Executables.run(
            "regimen", ["risk", "--data", data, "--weights", weights.path, "--scenario", "crash=-0.5", "--out", risk.path])
        #expect(noOverlay.status == 64, "a scenario without its volatility move is a usage error")

        // The daily job refuses, writing nothing, when it cannot price the overlay it must hold.
        let withIV = try String(contentsOf: yaml, encoding: .utf8)
        try withIV.replacingOccurrences(of: "implied_vol:\n  SYN1: IV_INDEX\n", with: "").write(
            to: yaml, atomically: true, encoding: .utf8)
        let unpriced = directory.appendingPathComponent("unpriced.json")
        let refused = try Executables.run(
            "regimen-infer",
            ["--model", "hedged:1", "--models", models, "--data", data, "--as-of", "2019-05-15", "--out", unpriced.path])
        #expect(refused.status == 65 && refused.standardError.contains("cannot be priced"), "\(refused.standardError)")
        #expect(!FileManager.default.fileExists(atPath: unpriced.path))
        try withIV.write(to: yaml, atomically: true, encoding: .utf8)

        let evaluate = try Executables.run(
            "regimen",
            [
                "evaluate", "--data", data, "--models", models, "--versions", "hedged:1", "--baselines", "equal-weight", "--from",
                "2019-03-04", "--to", "2019-05-15", "--fee-bps", "10", "--report",
                directory.appendingPathComponent("report").path,
            ])
        #expect(evaluate.status == 0, "\(evaluate.standardError)")
        let evaluated = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("report/report.json")))
                as? [String: Any])
        let names = (evaluated["allocators"] as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? []
        #expect(names.contains("hedged") && names.contains("hedged (no overlay)"), "\(names)")
    }

    /// The final book, overlay included, keeps `min_cash` (the options are paid from the cash
    /// above the floor); a previous file whose option expiry was tampered with is refused
    /// (65, naming the entry) with nothing written.
    static func overlayKeepsLimits(models: String, data: String, written: URL, directory: URL) throws {
        let limits = directory.appendingPathComponent("cash-limits.yaml")
        try "min_cash: 0.2\nmax_premium: 0.5\n".write(to: limits, atomically: true, encoding: .utf8)
        let out = directory.appendingPathComponent("cash-weights.json")
        let arguments = ["--model", "hedged:1", "--models", models, "--data", data, "--limits", limits.path]
        let run = try Executables.run("regimen-infer", arguments + ["--as-of", "2019-05-15", "--out", out.path])
        #expect(run.status == 0, "\(run.standardError)")
        let file = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: out)) as? [String: Any])
        let cash = try #require((file["weights"] as? [String: Double])?["CASH"])
        #expect(cash >= 0.2 - 1e-12, "the options took cash below min_cash: \(cash)")
        let binding = ((file["limits"] as? [String: Any])?["binding"] as? [String]) ?? []
        #expect(binding.filter { $0 == "min_cash" }.count == 1, "\(binding)")

        var tampered = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: written)) as? [String: Any])
        var overlay = try #require(tampered["overlay"] as? [[String: Any]])
        overlay[0]["expiry"] = "9999-12-31"
        tampered["overlay"] = overlay
        let previous = directory.appendingPathComponent("tampered.json")
        try JSONSerialization.data(withJSONObject: tampered).write(to: previous)
        let next = directory.appendingPathComponent("next.json")
        let refused = try Executables.run(
            "regimen-infer", arguments + ["--as-of", "2019-05-16", "--previous", previous.path, "--out", next.path])
        #expect(refused.status == 65 && refused.standardError.contains("overlay[0].expiry"), "\(refused.standardError)")
        #expect(!FileManager.default.fileExists(atPath: next.path))
        // Negative control: the untampered file is accepted as the previous one.
        let accepted = try Executables.run(
            "regimen-infer", arguments + ["--as-of", "2019-05-16", "--previous", written.path, "--out", next.path])
        #expect(accepted.status == 0, "\(accepted.standardError)")
    }
}
