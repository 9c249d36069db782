import Foundation
import TestSupport
import Testing

/// `regimen-infer` as a scheduler runs it: a small model trained once on the synthetic
/// default, then every exit status and the guarantees of contract section 6.
@Suite("regimen-infer", .serialized)
struct InferCommandTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..")
        .standardized
    static let synthetic = repository.appendingPathComponent("data/synthetic").path

    /// A registry with `tiny:1` (aliased champion), trained once per test process.
    static let registry: String = {
        let directory = try! Fixtures.temporaryDirectory()
        let config = directory.appendingPathComponent("tiny.yaml")
        try!
            "regime_states: 3\nregime_restarts: 1\nhidden: [8]\nwindow: 10\nbatch: 4\nepochs: 2\nsteps_per_epoch: 3\nensemble: 2\n"
            .write(to: config, atomically: true, encoding: .utf8)
        let models = directory.appendingPathComponent("models").path
        _ = try! Executables.run(
            "regimen", ["train", "--data", synthetic, "--config", config.path, "--models", models, "--quiet"])
        _ = try! Executables.run("regimen", ["models", "promote", "tiny", "1", "--models", models])
        return models
    }()

    static func infer(_ extra: [String], data: String = synthetic, environment: [String: String] = [:]) throws -> Executables.Run
    {
        try Executables.run(
            "regimen-infer", ["--models", registry, "--model", "tiny@champion", "--data", data] + extra, environment: environment)
    }

    @Test("the README's limits file for the synthetic default passes; the real data's example names DOGE and is refused")
    func shippedLimitsFiles() throws {
        let limits = Self.repository.appendingPathComponent("scripts/schedule")
        let synthetic = try Self.infer(
            ["--as-of", "2022-02-08", "--limits", limits.appendingPathComponent("limits.synthetic.yaml").path, "--check"])
        #expect(synthetic.status == 0, "\(synthetic.standardError)")
        let example = try Self.infer(
            ["--as-of", "2022-02-08", "--limits", limits.appendingPathComponent("limits.example.yaml").path, "--check"])
        #expect(example.status == 65 && example.standardError.contains("asset_max names 'DOGE'"))
    }

    @Test("writes the contract's weights file within the limits, and the same bytes on a rerun")
    func writes() throws {
        let directory = try Fixtures.temporaryDirectory()
        let limits = directory.appendingPathComponent("limits.yaml")
        try "max_weight: 0.2\nmin_cash: 0.1\ntarget_vol: 0.5\n".write(to: limits, atomically: true, encoding: .utf8)
        let out = directory.appendingPathComponent("weights.json")
        let run = try Self.infer(["--as-of", "2022-02-08", "--limits", limits.path, "--out", out.path, "--explain"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardError.contains("regimen-infer: as_of=2022-02-08 model=tiny:1"))
        #expect(run.standardError.contains("limits that bound"))
        let first = try Data(contentsOf: out)
        let file = try #require(try JSONSerialization.jsonObject(with: first) as? [String: Any])
        #expect(file["schema"] as? String == "regimen.weights/v1")
        let weights = try #require(file["weights"] as? [String: Double])
        #expect(Swift.abs(weights.values.reduce(0, +) - 1) < 1e-9)
        #expect(weights.filter { $0.key != "CASH" }.values.allSatisfy { $0 >= 0 && $0 <= 0.2 + 1e-9 })
        #expect(weights["CASH"]! >= 0.1 - 1e-9)
        #expect((file["source"] as? [String: String]) == ["kind": "model", "name": "tiny", "version": "1"])
        #expect((file["regime"] as? [String: Any])?["label"] != nil)
        #expect((file["risk"] as? [String: Double])?["confidence"] == 0.99)
        _ = try Self.infer(["--as-of", "2022-02-08", "--limits", limits.path, "--out", out.path])
        #expect(try Data(contentsOf: out) == first)
    }

    @Test("the output for t is unchanged when rows after t are appended")
    func futureRowsIgnored() throws {
        let directory = try Fixtures.temporaryDirectory()
        let cut = directory.appendingPathComponent("cut")
        try FileManager.default.createDirectory(at: cut, withIntermediateDirectories: true)
        for name in ["dataset.yaml", "features.csv", "funding.csv", "prices.csv"] {
            let lines = try String(contentsOfFile: Self.synthetic + "/" + name, encoding: .utf8).split(
                separator: "\n", omittingEmptySubsequences: false)
            let kept = name == "dataset.yaml" ? lines : lines.filter { $0 < "2021-06-01" || !$0.hasPrefix("20") }
            try kept.joined(separator: "\n").write(to: cut.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let a = directory.appendingPathComponent("a.json")
        let b = directory.appendingPathComponent("b.json")
        #expect(try Self.infer(["--as-of", "2021-05-31", "--out", a.path], data: cut.path).status == 0)
        #expect(try Self.infer(["--as-of", "2021-05-31", "--out", b.path]).status == 0)
        #expect(try Data(contentsOf: a) == Data(contentsOf: b))
    }

    @Test(
        "each refusal exits with its status, says why, and writes nothing",
        arguments: [
            (["--as-of", "2022-03-01"], Int32(75), "stale data"),
            (["--as-of", "2017-01-01"], 65, "no price row on or before 2017-01-01"),
            (["--as-of", "2022-02-08", "--limits", "/nonexistent.yaml"], 66, "/nonexistent.yaml: file not found"),
            (["--as-of", "2022-02-08", "--previous", "/nonexistent.json"], 66, "file not found"),
            (["--as-of", "Feb 8"], 64, "--as-of must be a date"),
        ])
    func refusals(_ testCase: ([String], Int32, String)) throws {
        let out = try Fixtures.temporaryDirectory().appendingPathComponent("w.json")
        let run = try Self.infer(testCase.0 + ["--out", out.path])
        #expect(run.status == testCase.1, "\(run.standardError)")
        #expect(run.standardError.contains(testCase.2), "\(run.standardError)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test(
        "a --previous weight beyond [-10, 10] is refused (65) naming file, asset and rule; nothing written",
        arguments: [1e308, -1e308, 11])
    func previousWeightOutOfBounds(_ weight: Double) throws {
        let directory = try Fixtures.temporaryDirectory()
        let previous = directory.appendingPathComponent("previous.json")
        #expect(try Self.infer(["--as-of", "2022-02-07", "--out", previous.path]).status == 0)
        let out = directory.appendingPathComponent("w.json")
        let history = directory.appendingPathComponent("history")
        let arguments = ["--as-of", "2022-02-08", "--previous", previous.path, "--out", out.path, "--history", history.path]
        // Negative control: the untouched previous file is accepted.
        let control = try Self.infer(arguments + ["--check"])
        #expect(control.status == 0, "\(control.standardError)")
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: previous)) as? [String: Any])
        var weights = try #require(object["weights"] as? [String: Double])
        weights["SYN3"] = weight
        object["weights"] = weights
        try JSONSerialization.data(withJSONObject: object).write(to: previous)
        let run = try Self.infer(arguments)
        #expect(run.status == 65, "\(run.standardError)")
        #expect(run.standardError.contains("\(previous.path): weights.SYN3 is "), "\(run.standardError)")
        #expect(run.standardError.contains("a weight must be finite and within [-10, 10]"), "\(run.standardError)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
        #expect(!FileManager.default.fileExists(atPath: history.path))
    }

    @Test("bad limits, a missing model and bad data exit 65, 66 and 65")
    func inputs() throws {
        let directory = try Fixtures.temporaryDirectory()
        let limits = directory.appendingPathComponent("limits.yaml")
        try "max_wieght: 0.2\n".write(to: limits, atomically: true, encoding: .utf8)
        let out = directory.appendingPathComponent("w.json")
        let badLimits = try Self.infer(["--as-of", "2022-02-08", "--limits", limits.path, "--out", out.path])
        #expect(badLimits.status == 65 && badLimits.standardError.contains("limits.yaml:1:1: unknown limit 'max_wieght'"))
        let missing = try Executables.run(
            "regimen-infer",
            [
                "--models", Self.registry, "--model", "tiny:7", "--data", Self.synthetic, "--as-of", "2022-02-08", "--out",
                out.path,
            ])
        #expect(missing.status == 66 && missing.standardError.contains("no version 7"))
        let badData = try Self.infer(
            ["--as-of", "2024-01-06", "--out", out.path],
            data: Self.repository.appendingPathComponent("Tests/MarketTests/Fixtures/bad/nan").path)
        #expect(badData.status == 65)
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test("--check writes nothing; a crash before the rename leaves the previous file intact")
    func checkAndCrash() throws {
        let directory = try Fixtures.temporaryDirectory()
        let out = directory.appendingPathComponent("w.json")
        #expect(try Self.infer(["--as-of", "2022-02-08", "--check"]).status == 0)
        #expect(try Self.infer(["--as-of", "2022-02-07", "--out", out.path]).status == 0)
        let before = try Data(contentsOf: out)
        let crashed = try Self.infer(
            ["--as-of", "2022-02-08", "--out", out.path], environment: ["REGIMEN_SIMULATE_CRASH_BEFORE_RENAME": "1"])
        #expect(crashed.status != 0)
        #expect(try Data(contentsOf: out) == before)
    }

    @Test("--history keeps each day's file and refuses to overwrite a different one without --force")
    func history() throws {
        let directory = try Fixtures.temporaryDirectory()
        let history = directory.appendingPathComponent("history")
        let out = directory.appendingPathComponent("w.json")
        #expect(try Self.infer(["--as-of", "2022-02-08", "--out", out.path, "--history", history.path]).status == 0)
        #expect(FileManager.default.fileExists(atPath: history.appendingPathComponent("2022-02-08.json").path))
        let limits = directory.appendingPathComponent("limits.yaml")
        try "min_cash: 0.5\n".write(to: limits, atomically: true, encoding: .utf8)
        let clash = try Self.infer([
            "--as-of", "2022-02-08", "--out", out.path, "--history", history.path, "--limits", limits.path,
        ])
        #expect(clash.status == 65 && clash.standardError.contains("exists with different weights; pass --force"))
        #expect(
            try Self.infer([
                "--as-of", "2022-02-08", "--out", out.path, "--history", history.path, "--limits", limits.path, "--force",
            ]).status == 0)
    }

    @Test("--history naming a regular file is refused (64) before anything is written: --out keeps its bytes")
    func historyIsAFile() throws {
        let directory = try Fixtures.temporaryDirectory()
        let out = directory.appendingPathComponent("w.json")
        #expect(try Self.infer(["--as-of", "2022-02-07", "--out", out.path]).status == 0)
        let before = try Data(contentsOf: out)
        let file = directory.appendingPathComponent("history")
        try "not a folder\n".write(to: file, atomically: true, encoding: .utf8)
        let refused = try Self.infer(["--as-of", "2022-02-08", "--out", out.path, "--history", file.path])
        #expect(refused.status == 64 && refused.standardError.contains("is a file, not a folder"), "\(refused.standardError)")
        #expect(try Data(contentsOf: out) == before)
        // The positive control: a folder there is written into, and --out changes.
        try FileManager.default.removeItem(at: file)
        #expect(try Self.infer(["--as-of", "2022-02-08", "--out", out.path, "--history", file.path]).status == 0)
        #expect(try Data(contentsOf: out) != before)
    }

    @Test("limits.measured holds the figures regimen risk computes for the same weights and window", arguments: [0.975, 0.99])
    func measuredAgreesWithRisk(confidence: Double) throws {
        let directory = try Fixtures.temporaryDirectory()
        let limits = directory.appendingPathComponent("limits.yaml")
        try "max_weight: 0.3\ntarget_vol: 0.15\nmax_es: 0.015\nes_confidence: \(confidence)\n".write(
            to: limits, atomically: true, encoding: .utf8)
        let out = directory.appendingPathComponent("weights.json")
        let run = try Self.infer(["--as-of", "2022-01-20", "--limits", limits.path, "--out", out.path])
        #expect(run.status == 0, "\(run.standardError)")
        let file = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: out)) as? [String: Any])
        let measured = try #require((file["limits"] as? [String: Any])?["measured"] as? [String: Double])
        #expect(measured["es_confidence"] == confidence && measured["window"] == 90)
        #expect(measured["es"]! <= 0.015 * (1 + 1e-12) && measured["vol_annual"]! <= 0.15 * (1 + 1e-12))
        let riskFile = directory.appendingPathComponent("risk.json")
        let risk = try Executables.run(
            "regimen",
            [
                "risk", "--data", Self.synthetic, "--weights", out.path, "--confidence", "\(confidence)", "--window", "90",
                "--out", riskFile.path,
            ])
        #expect(risk.status == 0, "\(risk.standardError)")
        let figures = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: riskFile)) as? [String: Any])
        #expect((figures["es"] as? [String: Double])?["historical"] == measured["es"])
        #expect(figures["vol_annual"] as? Double == measured["vol_annual"])
    }
}
