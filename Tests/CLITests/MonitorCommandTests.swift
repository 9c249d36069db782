import Foundation
import Support
import TestSupport
import Testing

/// `regimen monitor` as a scheduler runs it after the daily job (contract section 12): a
/// history written by `regimen-infer --history` over 60 consecutive days of a synthetic
/// market, then parity, drift and the refusals.
@Suite("regimen monitor", .serialized)
struct MonitorCommandTests {
    /// A synthetic market, `tiny:1` trained on it (aliased champion) and 60 days of the job.
    struct World {
        let root: URL
        let data: String
        let models: String
        let history: String
        /// The history's dates, oldest first.
        let dates: [String]
    }

    static let world: World = {
        let root = try! Fixtures.temporaryDirectory()
        let data = root.appendingPathComponent("synth").path
        _ = try! Executables.run("regimen", ["data", "synth", "--out", data, "--assets", "4", "--periods", "400", "--seed", "3"])
        let config = root.appendingPathComponent("tiny.yaml")
        try!
            "regime_states: 3\nregime_restarts: 1\nhidden: [8]\nwindow: 10\nbatch: 4\nepochs: 2\nsteps_per_epoch: 3\nensemble: 2\n"
            .write(to: config, atomically: true, encoding: .utf8)
        let models = root.appendingPathComponent("models").path
        _ = try! Executables.run("regimen", ["train", "--data", data, "--config", config.path, "--models", models, "--quiet"])
        _ = try! Executables.run("regimen", ["models", "promote", "tiny", "1", "--models", models])
        let prices = try! String(contentsOfFile: data + "/prices.csv", encoding: .utf8).split(separator: "\n")
        let dates = prices.suffix(60).map { String($0.prefix { $0 != "," }) }
        let history = root.appendingPathComponent("history").path
        let latest = root.appendingPathComponent("latest.json").path
        for (day, date) in dates.enumerated() {
            let previous = day == 0 ? [] : ["--previous", latest]
            let run = try! Executables.run(
                "regimen-infer",
                [
                    "--models", models, "--model", "tiny@champion", "--data", data, "--as-of", date, "--out", latest, "--history",
                    history,
                ]
                    + previous)
            precondition(run.status == 0, run.standardError)
        }
        return World(root: root, data: data, models: models, history: history, dates: dates)
    }()

    /// Runs the monitor on `data` (the world's by default) into a fresh folder.
    static func monitor(_ extra: [String], data: String = world.data, history: String = world.history) throws -> (
        run: Executables.Run, out: URL
    ) {
        let out = try Fixtures.temporaryDirectory().appendingPathComponent("monitor")
        let run = try Executables.run(
            "regimen",
            [
                "monitor", "--models", world.models, "--model", "tiny@champion", "--data", data, "--history", history, "--out",
                out.path,
            ]
                + extra)
        return (run, out)
    }

    /// `monitor.json` of a run.
    static func report(_ out: URL) throws -> [String: Any] {
        try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("monitor.json"))) as? [String: Any]
        )
    }

    /// A copy of the world's data with `edit` applied to each file's text.
    static func editedData(_ edit: (String, String) -> String) throws -> String {
        let copy = try Fixtures.temporaryDirectory().appendingPathComponent("data")
        try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: world.data) {
            let text = try String(contentsOfFile: world.data + "/" + name, encoding: .utf8)
            try edit(name, text).write(to: copy.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return copy.path
    }

    /// Each feature's PSI in a report.
    static func psi(_ report: [String: Any]) throws -> [String: Double] {
        let features = try #require((report["drift"] as? [String: Any])?["features"] as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: features.map { ($0["feature"] as! String, ($0["psi"] as? Double) ?? .nan) })
    }

    @Test("on unchanged data parity is exactly 0 on every date; both files are written")
    func parityZero() throws {
        let (run, out) = try Self.monitor([])
        #expect(run.status == 0, "\(run.standardError)")
        let report = try Self.report(out)
        #expect(report["schema"] as? String == "regimen.monitor/v1")
        #expect(report["model"] as? String == "tiny:1")
        let parity = try #require(report["parity"] as? [String: Any])
        #expect(parity["max_abs_difference"] as? Double == 0)
        #expect(parity["first_difference"] is NSNull)
        let days = try #require(parity["days"] as? [[String: Any]])
        #expect(days.count == 60 && days.allSatisfy { $0["max_abs_difference"] as? Double == 0 })
        let live = try #require(report["live"] as? [String: Any])
        #expect((live["series"] as? [Any])?.count == 59)
        #expect(try #require(report["alerts"] as? [[String: Any]]).allSatisfy { $0["kind"] as? String != "parity" })
        // The replay holds exactly what was written: period k's risky weights are file k's.
        let series = try #require(live["series"] as? [[String: Any]])
        for (k, row) in series.enumerated() {
            let file = Self.world.history + "/" + Self.world.dates[k] + ".json"
            let written = try #require(
                (try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [String: Any])?[
                    "weights"]
                    as? [String: Double])
            let held = try #require(row["weights"] as? [String: Double])
            #expect(held.filter { $0.key != "CASH" } == written.filter { $0.key != "CASH" && $0.value != 0 }, "\(file)")
        }
        let html = try String(contentsOf: out.appendingPathComponent("monitor.html"), encoding: .utf8)
        #expect(html.hasPrefix("<!doctype html>") && !html.contains("<script"))
    }

    @Test("a price restated inside the history: parity names its date first and the asset moves; exit 10 with --fail-on-alert")
    func restatedPrice() throws {
        let date = Self.world.dates[44]
        let data = try Self.editedData { name, text in
            guard name == "prices.csv" else { return text }
            return text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
                guard line.hasPrefix(date) else { return String(line) }
                var fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                fields[2] = String(Double(fields[2])! * 1.3)
                return fields.joined(separator: ",")
            }.joined(separator: "\n")
        }
        let (run, out) = try Self.monitor(["--fail-on-alert"], data: data)
        #expect(run.status == 10, "\(run.standardError)")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("monitor.html").path))
        let parity = try #require(try Self.report(out)["parity"] as? [String: Any])
        #expect(parity["first_difference"] as? String == date)
        let days = try #require(parity["days"] as? [[String: Any]])
        #expect(days.prefix(44).allSatisfy { $0["max_abs_difference"] as? Double == 0 })
        let restated = try #require((days[44]["differences"] as? [String: Double])?["SYN2"])
        #expect(restated > 0)
        let alerts = try #require(try Self.report(out)["alerts"] as? [[String: Any]])
        #expect(alerts.contains { $0["kind"] as? String == "parity" && $0["subject"] as? String == date })
    }

    /// The world's data with `features.csv`'s exogenous series replaced by seeded independent
    /// normal draws (IV_INDEX 30 + 10 z, MACRO 100 + 5 z; empty cells kept), IV_INDEX moved
    /// by `shift` on its last `rows` rows. Independent draws, because the synthetic series
    /// (like most features) are autocorrelated: a short window of them sits in a few deciles
    /// and has a large PSI with no shift at all (docs/monitor.md).
    static func stationaryExogenous(shift: Double, rows: Int) throws -> String {
        try editedData { name, text in
            guard name == "features.csv" else { return text }
            var generator = SeededGenerator(seed: 12)
            let lines = text.split(separator: "\n").map(String.init)
            return
                (lines.enumerated().map { index, line -> String in
                    guard index > 0 else { return line }
                    var fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                    let (iv, macro) = (generator.nextStandardNormal(), generator.nextStandardNormal())
                    let moved = index > lines.count - 1 - rows ? shift : 0
                    if !fields[1].isEmpty { fields[1] = String(30 + 10 * iv + moved) }
                    if !fields[2].isEmpty { fields[2] = String(100 + 5 * macro) }
                    return fields.joined(separator: ",")
                }).joined(separator: "\n") + "\n"
        }
    }

    @Test("IV_INDEX moved by +5 sd over the window: its PSI alone crosses 0.25; the other features do not move")
    func featureShift() throws {
        let (controlRun, controlOut) = try Self.monitor(
            ["--window", "90"], data: try Self.stationaryExogenous(shift: 0, rows: 90))
        let (shiftedRun, shiftedOut) = try Self.monitor(
            ["--window", "90", "--fail-on-alert"], data: try Self.stationaryExogenous(shift: 50, rows: 90))
        #expect(controlRun.status == 0, "\(controlRun.standardError)")
        #expect(shiftedRun.status == 10, "\(shiftedRun.standardError)")
        let control = try Self.psi(try Self.report(controlOut))
        let shifted = try Self.psi(try Self.report(shiftedOut))
        #expect(try #require(shifted["IV_INDEX"]) > 0.25)
        // Negative controls: the same series unshifted, an independent series beside it, and
        // every other feature, which the shift does not touch.
        #expect(try #require(control["IV_INDEX"]) < 0.25)
        #expect(try #require(shifted["MACRO"]) < 0.25)
        for (feature, value) in shifted where feature != "IV_INDEX" { #expect(control[feature] == value, "\(feature)") }
        let alerts = try #require(try Self.report(shiftedOut)["alerts"] as? [[String: Any]])
        #expect(alerts.contains { $0["kind"] as? String == "drift" && $0["subject"] as? String == "IV_INDEX" })
        #expect(!alerts.contains { $0["kind"] as? String == "drift" && $0["subject"] as? String == "MACRO" })
    }

    @Test(
        "a missing or empty history folder (66) and a damaged history file (65) are refused; nothing written",
        arguments: ["missing", "empty", "damaged", "misnamed"])
    func refusals(_ kind: String) throws {
        let folder = try Fixtures.temporaryDirectory().appendingPathComponent("history")
        var expected: (Int32, String)
        switch kind {
        case "missing": expected = (66, "no such folder")
        case "empty":
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            expected = (66, "no weights files")
        default:
            try FileManager.default.copyItem(atPath: Self.world.history, toPath: folder.path)
            let file = folder.appendingPathComponent("\(Self.world.dates[10]).json")
            if kind == "damaged" {
                try Data("{\"schema\": \"regimen.weights/v1\", \"as_of\": ".utf8).write(to: file)
                expected = (65, "\(file.path): not a weights file")
            } else {
                try FileManager.default.moveItem(at: file, to: folder.appendingPathComponent("2030-01-01.json"))
                expected = (65, "is not the date the file is named after")
            }
        }
        let (run, out) = try Self.monitor(["--fail-on-alert"], history: folder.path)
        #expect(run.status == expected.0, "\(run.standardError)")
        #expect(run.standardError.contains(expected.1), "\(run.standardError)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test("--out naming a file is refused (64) before any work, and the file is left as it was")
    func outIsAFile() throws {
        let file = try Fixtures.temporaryDirectory().appendingPathComponent("not-a-folder")
        try Data("kept\n".utf8).write(to: file)
        let run = try Executables.run(
            "regimen",
            [
                "monitor", "--models", Self.world.models, "--model", "tiny@champion", "--data", Self.world.data, "--history",
                Self.world.history, "--out", file.path,
            ])
        #expect(run.status == 64, "\(run.standardError)")
        #expect(run.standardError.contains("is a file, not a folder; give a folder for monitor.json and monitor.html"))
        #expect(try Data(contentsOf: file) == Data("kept\n".utf8))
    }

    @Test("a job run under limits replays exactly with --limits (the job's file), and not without; bindings are counted")
    func limitsReplay() throws {
        let root = try Fixtures.temporaryDirectory()
        let limits = root.appendingPathComponent("limits.yaml")
        try "max_weight: 0.2\nmin_cash: 0.2\n".write(to: limits, atomically: true, encoding: .utf8)
        let history = root.appendingPathComponent("history").path
        let latest = root.appendingPathComponent("latest.json").path
        for (day, date) in Self.world.dates.suffix(10).enumerated() {
            let run = try Executables.run(
                "regimen-infer",
                [
                    "--models", Self.world.models, "--model", "tiny@champion", "--data", Self.world.data, "--as-of", date,
                    "--out",
                    latest, "--history", history, "--limits", limits.path,
                ] + (day == 0 ? [] : ["--previous", latest]))
            #expect(run.status == 0, "\(run.standardError)")
        }
        let (exact, exactOut) = try Self.monitor(["--limits", limits.path], history: history)
        #expect(exact.status == 0, "\(exact.standardError)")
        let report = try Self.report(exactOut)
        #expect((report["parity"] as? [String: Any])?["max_abs_difference"] as? Double == 0)
        let bound = try #require((report["limits"] as? [String: Any])?["binding"] as? [String: Int])
        #expect(!bound.isEmpty && bound.values.allSatisfy { $0 >= 1 && $0 <= 10 })
        let (_, looseOut) = try Self.monitor([], history: history)
        let loose = try #require((try Self.report(looseOut)["parity"] as? [String: Any])?["max_abs_difference"] as? Double)
        #expect(loose > 0)
    }
}
