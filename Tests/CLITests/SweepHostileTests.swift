import Foundation
import TestSupport
import Testing

/// `regimen sweep` and `regimen sweep export-mlflow` given hostile inputs: whatever the
/// input, a sweep ends; a refusal has its exit status, names the culprit, and nothing is run
/// or written.
@Suite("regimen sweep, hostile inputs")
struct SweepHostileTests {
    /// A one-run spec on `data` (the synthetic default unless given); `extra` lines are
    /// appended (e.g. `fee_bps: -20000`).
    static func spec(
        in directory: URL, data: String = SweepCommandTests.synthetic, walkForward: String = "600:150:expanding",
        from: String = "2021-01-01", to: String = "2021-03-01", extra: String = ""
    ) throws -> URL {
        let url = directory.appendingPathComponent("sweep.yaml")
        try """
        config:
          regime_states: 2
          regime_restarts: 1
          hidden: [8]
          batch: 8
          epochs: 1
          steps_per_epoch: 3
          ensemble: 1
        seeds: [1]
        walk_forward: "\(walkForward)"
        from: \(from)
        to: \(to)
        data: \(data)
        \(extra)

        """.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test("a run whose runs.jsonl line is larger than a pipe holds (64 KB) finishes instead of deadlocking")
    func largeResultLine() throws {
        let directory = try Fixtures.temporaryDirectory()
        let data = directory.appendingPathComponent("data")
        let synth = try Executables.run("regimen", ["data", "synth", "--out", data.path, "--periods", "3000"])
        #expect(synth.status == 0, "\(synth.standardError)")
        // One fold testing 2800 days: its two return series make a line of ~120 KB.
        let spec = try Self.spec(
            in: directory, data: data.path, walkForward: "200:3000:rolling", from: "2018-07-20", to: "2026-03-19")
        let out = directory.appendingPathComponent("out")
        let run = try Executables.run(
            "regimen", ["sweep", "--spec", spec.path, "--out", out.path, "--jobs", "1", "--quiet"], timeout: 300)
        #expect(run.status == 0, "status \(run.status) (9: killed by the timeout, the sweep hung): \(run.standardError)")
        let lines = try String(contentsOf: out.appendingPathComponent("runs.jsonl"), encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 1 && (lines.first?.utf8.count ?? 0) > 1 << 16, "the line is not larger than a pipe")
        let first = try #require(lines.first)
        let line = try #require(try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any])
        let returns = try #require(line["returns"] as? [Double], "\(line["error"] ?? "no returns")")
        #expect(returns.count == 2800 && (line["returns_fees_doubled"] as? [Double])?.count == 2800)
    }

    @Test(
        "a fee_bps out of 0 to 1000 is refused (65) before anything runs",
        arguments: ["-20000", "1e308", "1000.5", "-0.001", ".nan", ".inf"])
    func feeOutOfRange(_ fee: String) throws {
        let directory = try Fixtures.temporaryDirectory()
        let spec = try Self.spec(in: directory, extra: "fee_bps: \(fee)")
        let out = directory.appendingPathComponent("out")
        let run = try Executables.run("regimen", ["sweep", "--spec", spec.path, "--out", out.path, "--quiet"], timeout: 120)
        #expect(
            run.status == 65 && run.standardError.contains("fee_bps must be from 0") && run.standardError.contains("1000"),
            "status \(run.status): \(run.standardError)")
        #expect(!FileManager.default.fileExists(atPath: out.path), "something was written")
    }

    @Test(
        "an aum out of 0 to 1e15 USD is refused (65) before anything runs", arguments: ["-1", "1e16", "1e308", ".nan", ".inf"])
    func aumOutOfRange(_ aum: String) throws {
        let directory = try Fixtures.temporaryDirectory()
        let spec = try Self.spec(in: directory, extra: "aum: \(aum)")
        let out = directory.appendingPathComponent("out")
        let run = try Executables.run("regimen", ["sweep", "--spec", spec.path, "--out", out.path, "--quiet"], timeout: 120)
        #expect(
            run.status == 65 && run.standardError.contains("aum must be a finite number of USD from 0 to 1e15"),
            "status \(run.status): \(run.standardError)")
        #expect(!FileManager.default.fileExists(atPath: out.path), "something was written")
    }

    @Test("fee_bps at the ends of its range is accepted (the negative control of the refusals)")
    func feeAtTheBounds() throws {
        let directory = try Fixtures.temporaryDirectory()
        for fee in ["0", "1000"] {
            let spec = try Self.spec(in: directory, extra: "fee_bps: \(fee)")
            let out = directory.appendingPathComponent("out-\(fee)")
            let run = try Executables.run("regimen", ["sweep", "--spec", spec.path, "--out", out.path, "--quiet"], timeout: 300)
            #expect(run.status == 0, "fee \(fee): \(run.standardError)")
        }
    }

    @Test("an --out that is a file, or lies under one, is refused (64) naming it; the file is unchanged and nothing runs")
    func outputIsAFile() throws {
        let directory = try Fixtures.temporaryDirectory()
        let spec = try Self.spec(in: directory)
        let file = directory.appendingPathComponent("taken")
        try Data("keep me\n".utf8).write(to: file)
        for out in [file.path, file.appendingPathComponent("sweep").path] {
            let run = try Executables.run("regimen", ["sweep", "--spec", spec.path, "--out", out, "--quiet"], timeout: 120)
            #expect(
                run.status == 64 && run.standardError.contains(file.path) && run.standardError.contains("--out"),
                "status \(run.status): \(run.standardError)")
        }
        #expect(try Data(contentsOf: file) == Data("keep me\n".utf8))
        let left = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(left == ["sweep.yaml", "taken"], "written: \(left)")
    }

    /// A sweep folder with two well-formed runs and a summary, written by hand (no training).
    static func sweepFolder(damagedLine: String? = nil) throws -> URL {
        let directory = try Fixtures.temporaryDirectory()
        let good = (1...2).map {
            #"{"fold":\#($0),"metrics":{"sharpe":0.5},"params":{"learning_rate":0.01},"run_id":"run\#($0)","seed":1,"test":["2021-01-0\#($0)"]}"#
        }
        let lines = damagedLine.map { [good[0], $0, good[1]] } ?? good
        try Data(lines.map { $0 + "\n" }.joined().utf8).write(to: directory.appendingPathComponent("runs.jsonl"))
        try Data("{}\n".utf8).write(to: directory.appendingPathComponent("summary.json"))
        return directory
    }

    /// Nothing listens on 127.0.0.1:9, so any REST call fails (70): a 65 shows the damaged
    /// file was refused before the first call, with nothing exported.
    static let unreachable = "http://127.0.0.1:9"

    /// Damaged lines by name (named, so that a failure does not print 10 MB).
    static let damaged = [
        "cut short": #"{"fold":3,"metrics":{"sharpe":0.5},"params":{},"run_"#,
        "a NaN": #"{"fold":3,"metrics":{"sharpe":NaN},"params":{},"run_id":"run3","seed":1,"test":[]}"#,
        "a 10 MB line": "{\"run_id\":\"" + String(repeating: "a", count: 10 << 20),
        "an empty line": "",
        "not a run": #"{"hello":"world"}"#,
    ]

    @Test(
        "export-mlflow refuses a damaged runs.jsonl (65) naming the file and the line, before any REST call",
        arguments: ["cut short", "a NaN", "a 10 MB line", "an empty line", "not a run"])
    func damagedRuns(_ name: String) throws {
        let line = try #require(Self.damaged[name])
        let folder = try Self.sweepFolder(damagedLine: line)
        let run = try Executables.run(
            "regimen",
            ["sweep", "export-mlflow", "--out", folder.path, "--tracking-uri", Self.unreachable, "--experiment", "e"],
            timeout: 120)
        let file = folder.appendingPathComponent("runs.jsonl").path
        #expect(
            run.status == 65 && run.standardError.contains("\(file): line 2"),
            "\(name): status \(run.status): \(run.standardError.prefix(2000))")
        #expect(run.standardError.utf8.count < 2000, "\(name): the message repeats the line")
    }

    @Test("export-mlflow on a sound runs.jsonl reaches the server (the negative control: 70, unreachable)")
    func soundRunsReachTheServer() throws {
        let folder = try Self.sweepFolder()
        let run = try Executables.run(
            "regimen",
            ["sweep", "export-mlflow", "--out", folder.path, "--tracking-uri", Self.unreachable, "--experiment", "e"],
            timeout: 120)
        #expect(run.status == 70 && run.standardError.contains("cannot reach"), "status \(run.status): \(run.standardError)")
    }

    @Test(
        "a --tracking-uri without a host, of another scheme or with spaces is refused (64) naming the option",
        arguments: ["http://", "https://", "http:///api", "http://:5000", "ftp://x", "http://a b", "http://127.0.0.1:99999"])
    func badTrackingURI(_ uri: String) throws {
        let folder = try Self.sweepFolder()
        let run = try Executables.run(
            "regimen", ["sweep", "export-mlflow", "--out", folder.path, "--tracking-uri", uri, "--experiment", "e"],
            timeout: 120)
        #expect(
            run.status == 64 && run.standardError.contains("--tracking-uri"), "\(uri): status \(run.status): \(run.standardError)"
        )
    }

    @Test("train --mlflow with a URL no request can reach is refused (64) before training; nothing is published")
    func badTrainMLflowURI() throws {
        let models = try Fixtures.temporaryDirectory().appendingPathComponent("models")
        let run = try Executables.run(
            "regimen",
            [
                "train", "--data", InferCommandTests.repository.appendingPathComponent("data/synthetic").path, "--config",
                InferCommandTests.repository.appendingPathComponent("models/default.yaml").path, "--models", models.path,
                "--mlflow", "http://",
            ], timeout: 120)
        #expect(run.status == 64 && run.standardError.contains("--mlflow"), "status \(run.status): \(run.standardError)")
        #expect(!FileManager.default.fileExists(atPath: models.appendingPathComponent("default").path))
    }
}
