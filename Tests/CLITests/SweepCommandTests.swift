import Foundation
import TestSupport
import Testing

/// `regimen sweep` on the committed synthetic default (contract section 9): every run of a
/// tiny spec, the same `runs.jsonl` bytes whatever `--jobs`, a resume that reruns only what
/// is missing, and a failing run recorded without stopping the sweep.
@Suite("regimen sweep")
struct SweepCommandTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..")
        .standardized
    static let synthetic = repository.appendingPathComponent("data/synthetic").path

    /// A spec of 2 grid points x 2 seeds x 2 folds (8 runs) on the synthetic default; a
    /// `window` of 5000 cannot fit any fold and fails.
    static func spec(in directory: URL, windows: String = "[10]", rates: String = "[0.001, 0.01]") throws -> URL {
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
        grid:
          learning_rate: \(rates)
          window: \(windows)
        seeds: [1, 2]
        walk_forward: "600:150:expanding"
        from: 2021-01-01
        to: 2021-08-29
        data: \(synthetic)
        fee_bps: 10
        baselines: [equal-weight, min-variance]

        """.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    static func lines(_ url: URL) throws -> [[String: Any]] {
        try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    @Test("every run lands once, sorted by run_id; the same bytes with 1 or 2 jobs; a resume reruns only the missing runs")
    func runsAndResumes() throws {
        let directory = try Fixtures.temporaryDirectory()
        let spec = try Self.spec(in: directory)
        let two = directory.appendingPathComponent("two")
        let first = try Executables.run("regimen", ["sweep", "--spec", spec.path, "--out", two.path, "--jobs", "2"])
        #expect(first.status == 0, "\(first.standardError)")
        let runs = two.appendingPathComponent("runs.jsonl")
        let lines = try Self.lines(runs)
        #expect(lines.count == 8)
        let ids = lines.compactMap { $0["run_id"] as? String }
        #expect(ids == ids.sorted() && Set(ids).count == 8)
        #expect(lines.allSatisfy { ($0["metrics"] as? [String: Double])?["sharpe"] != nil && $0["error"] == nil })
        let summary = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: two.appendingPathComponent("summary.json"))) as? [String: Any]
        )
        let points = try #require(summary["points"] as? [[String: Any]])
        #expect(points.count == 2 && points.allSatisfy { $0["sharpe"] as? Double != nil && $0["dsr"] as? Double != nil })
        // The page lists the spec's baselines and prints parameters as the spec wrote them.
        let page = try String(contentsOf: two.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(page.contains("learning_rate=0.01, window=10") && !page.contains("number("), "\(page)")
        #expect(page.contains("<td>equal-weight</td>") && page.contains("<td>min-variance</td>"), "\(page)")
        let baselines = try #require(summary["baselines"] as? [[String: Any]])
        #expect(baselines.map { $0["name"] as? String } == ["equal-weight", "min-variance"])
        #expect(baselines.allSatisfy { $0["sharpe"] as? Double != nil && $0["error"] == nil })
        // The verdict (contract section 10) against the best of the spec's baselines, and the
        // ranking: points that earn their place first, then by Sharpe.
        #expect(lines.allSatisfy { ($0["returns_fees_doubled"] as? [Double])?.count == ($0["returns"] as? [Double])?.count })
        let best = try #require(baselines.max { ($0["sharpe"] as! Double) < ($1["sharpe"] as! Double) }?["name"] as? String)
        let verdicts = points.compactMap { $0["verdict"] as? [String: Any] }
        #expect(verdicts.count == 2 && verdicts.allSatisfy { $0["benchmark"] as? String == best && $0["folds"] as? Int == 2 })
        let ranks = points.map { (($0["verdict"] as? [String: Any])?["earns_place"] as? Bool ?? false, $0["sharpe"] as! Double) }
        #expect(zip(ranks, ranks.dropFirst()).allSatisfy { a, b in a.0 != b.0 ? a.0 : a.1 >= b.1 })

        let one = directory.appendingPathComponent("one")
        #expect(try Executables.run("regimen", ["sweep", "--spec", spec.path, "--out", one.path, "--jobs", "1"]).status == 0)
        let bytes = try Data(contentsOf: runs)
        #expect(try Data(contentsOf: one.appendingPathComponent("runs.jsonl")) == bytes, "runs.jsonl depends on --jobs")

        // An interrupted sweep: three runs missing and the last line cut short by the kill.
        var kept = try String(contentsOf: runs, encoding: .utf8).split(separator: "\n").map(String.init)
        kept.removeLast(3)
        let cut = kept.removeLast()
        try (kept.joined(separator: "\n") + "\n" + cut.prefix(cut.count / 2)).write(to: runs, atomically: true, encoding: .utf8)
        let resumed = try Executables.run("regimen", ["sweep", "--spec", spec.path, "--out", two.path, "--jobs", "2"])
        #expect(resumed.status == 0)
        #expect(resumed.standardError.contains("4 already finished, 4 to run"), "\(resumed.standardError)")
        #expect(try Data(contentsOf: runs) == bytes, "the resumed sweep wrote other bytes")

        // Another spec into the same folder is refused; the first sweep's runs stay.
        let other = directory.appendingPathComponent("other")
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        let otherSpec = try Self.spec(in: other, rates: "[0.002]")
        let refused = try Executables.run("regimen", ["sweep", "--spec", otherSpec.path, "--out", two.path, "--jobs", "2"])
        #expect(refused.status == 64 && refused.standardError.contains("not this spec's"), "\(refused.standardError)")
        #expect(try Data(contentsOf: runs) == bytes, "a different spec changed the first sweep's runs")
    }

    /// A sweep of `spec` into `out` (4 runs, one at a time) started in the background, returned
    /// once `runs.jsonl` holds `lines` lines (or after 120 s), with the uninterrupted sweep's
    /// `runs.jsonl` bytes to compare a resumed one with.
    static func sweepUnderWay(in directory: URL, lines: Int) throws -> (spec: URL, process: Process, runs: URL, whole: Data) {
        let spec = try Self.spec(in: directory, rates: "[0.001]")
        let whole = directory.appendingPathComponent("whole")
        #expect(
            try Executables.run("regimen", ["sweep", "--spec", spec.path, "--out", whole.path, "--jobs", "1", "--quiet"]).status
                == 0)
        let out = directory.appendingPathComponent("interrupted")
        let process = Process()
        process.executableURL = Executables.productsDirectory.appendingPathComponent("regimen")
        process.arguments = ["sweep", "--spec", spec.path, "--out", out.path, "--jobs", "1", "--quiet"]
        try process.run()
        let runs = out.appendingPathComponent("runs.jsonl")
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline, ((try? String(contentsOf: runs, encoding: .utf8))?.split(separator: "\n").count ?? 0) < lines {
            usleep(20_000)
        }
        return (spec, process, runs, try Data(contentsOf: whole.appendingPathComponent("runs.jsonl")))
    }

    /// Reruns the interrupted sweep; its `runs.jsonl` must be the uninterrupted bytes.
    static func resume(_ sweep: (spec: URL, process: Process, runs: URL, whole: Data)) throws -> Executables.Run {
        let out = sweep.runs.deletingLastPathComponent()
        let resumed = try Executables.run("regimen", ["sweep", "--spec", sweep.spec.path, "--out", out.path, "--jobs", "1"])
        #expect(resumed.status == 0)
        #expect(try Data(contentsOf: sweep.runs) == sweep.whole, "the resumed sweep wrote other bytes")
        return resumed
    }

    @Test("a sweep killed (SIGKILL) after some runs resumes on a rerun to the bytes of an uninterrupted sweep")
    func killedAndResumed() throws {
        let sweep = try Self.sweepUnderWay(in: try Fixtures.temporaryDirectory(), lines: 2)
        kill(sweep.process.processIdentifier, SIGKILL)
        sweep.process.waitUntilExit()
        // Complete lines only: a line cut by the kill is dropped by the resume.
        let before = (try? String(contentsOf: sweep.runs, encoding: .utf8))?.filter { $0 == "\n" }.count ?? 0
        #expect(before >= 2 && before < 4, "killed after \(before) runs")
        let resumed = try Self.resume(sweep)
        #expect(resumed.standardError.contains("\(before) already finished, \(4 - before) to run"), "\(resumed.standardError)")
    }

    @Test("SIGTERM to a sweep stops its runs (no child left), exits 143, and a rerun resumes to the uninterrupted bytes")
    func stoppedAndResumed() throws {
        let sweep = try Self.sweepUnderWay(in: try Fixtures.temporaryDirectory(), lines: 1)
        // Between two runs no child may be running for a moment: wait for the next one.
        let deadline = Date().addingTimeInterval(60)
        while Self.runChildren(of: sweep.spec).isEmpty && sweep.process.isRunning && Date() < deadline { usleep(5_000) }
        #expect(!Self.runChildren(of: sweep.spec).isEmpty, "a run should be under way")
        kill(sweep.process.processIdentifier, SIGTERM)
        sweep.process.waitUntilExit()
        #expect(sweep.process.terminationStatus == 143, "exit \(sweep.process.terminationStatus)")
        #expect(Self.runChildren(of: sweep.spec).isEmpty, "the sweep's runs outlived it")
        _ = try Self.resume(sweep)
    }

    /// The process ids of `regimen sweep run-one` children running `spec` (from /proc).
    static func runChildren(of spec: URL) -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.filter { pid in
            guard Int(pid) != nil, let command = try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline")) else {
                return false
            }
            let text = String(decoding: command.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
            return text.contains("run-one") && text.contains(spec.path)
        }
    }

    @Test("a run that fails is recorded with its error and the other runs finish")
    func failureRecorded() throws {
        let directory = try Fixtures.temporaryDirectory()
        let spec = try Self.spec(in: directory, windows: "[10, 5000]")
        let out = directory.appendingPathComponent("out")
        let run = try Executables.run("regimen", ["sweep", "--spec", spec.path, "--out", out.path, "--jobs", "2"])
        #expect(run.status == 0, "\(run.standardError)")
        let lines = try Self.lines(out.appendingPathComponent("runs.jsonl"))
        #expect(lines.count == 16)
        let failed = lines.filter { $0["error"] != nil }
        #expect(failed.count == 8)
        #expect(failed.allSatisfy { (($0["params"] as? [String: Any])?["window"] as? Double) == 5000 })
        #expect(failed.allSatisfy { ($0["error"] as? String)?.contains("too short") == true })
        let summary = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("summary.json"))) as? [String: Any]
        )
        #expect(summary["failed"] as? Int == 8)
    }

    @Test("progress: a redrawn bar under a pseudo-terminal, plain lines without one, nothing with --quiet")
    func progress() throws {
        let directory = try Fixtures.temporaryDirectory()
        let spec = try Self.spec(in: directory, rates: "[0.001]")
        let regimen = Executables.productsDirectory.appendingPathComponent("regimen").path
        // `script` gives the command a pseudo-terminal and copies what it writes.
        let script = Process()
        script.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        script.arguments = [
            "script", "-qfec", "\(regimen) sweep --spec \(spec.path) --out \(directory.appendingPathComponent("tty").path)",
            "/dev/null",
        ]
        let pipe = Pipe()
        script.standardOutput = pipe
        script.standardInput = FileHandle.nullDevice
        try script.run()
        let seen = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        script.waitUntilExit()
        #expect(script.terminationStatus == 0)
        #expect(seen.contains("\r\u{1B}[K") && seen.contains("sweep ["), "no redrawn bar: \(seen)")
        let plain = try Executables.run(
            "regimen", ["sweep", "--spec", spec.path, "--out", directory.appendingPathComponent("plain").path])
        #expect(!plain.standardError.contains("\r") && plain.standardError.contains("sweep: 4/4 runs"), "\(plain.standardError)")
        let quiet = try Executables.run(
            "regimen", ["sweep", "--spec", spec.path, "--out", directory.appendingPathComponent("quiet").path, "--quiet"])
        #expect(quiet.status == 0 && quiet.standardError.isEmpty, "\(quiet.standardError)")
    }

    @Test("a relative spec path in a subfolder: its data: and config: starting with .. climb out of the spec's folder")
    func relativePathsClimbOut() throws {
        let directory = try Fixtures.temporaryDirectory()
        let work = directory.appendingPathComponent("work")
        try FileManager.default.createDirectory(at: work.appendingPathComponent("sweeps"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            at: directory.appendingPathComponent("data"), withDestinationURL: URL(fileURLWithPath: Self.synthetic))
        let config = "regime_states: 2\nregime_restarts: 1\nhidden: [4]\nwindow: 10\nbatch: 4\nepochs: 1\nsteps_per_epoch: 2\n"
        try config.write(to: work.appendingPathComponent("base.yaml"), atomically: true, encoding: .utf8)
        // One run: one grid point, one seed, one fold; `data` climbs two folders, `config` one.
        try """
        config: ../base.yaml
        grid: {learning_rate: [0.003]}
        seeds: [1]
        walk_forward: "600:150:expanding"
        from: 2021-01-01
        to: 2021-05-30
        data: ../../data

        """.write(to: work.appendingPathComponent("sweeps/sweep.yaml"), atomically: true, encoding: .utf8)
        let run = try Executables.run(
            "regimen", ["sweep", "--spec", "sweeps/sweep.yaml", "--out", "out", "--quiet"], directory: work)
        #expect(run.status == 0, "\(run.standardError)")
        let lines = try Self.lines(work.appendingPathComponent("out/runs.jsonl"))
        #expect(lines.count == 1 && lines[0]["error"] == nil, "\(lines)")
    }

    @Test("a bad spec is refused before anything runs")
    func badSpec() throws {
        let directory = try Fixtures.temporaryDirectory()
        let spec = directory.appendingPathComponent("bad.yaml")
        try
            "config: {}\ngrid: {learning_rat: [0.1]}\nwalk_forward: \"600:150:expanding\"\nfrom: 2021-01-01\nto: 2021-08-29\ndata: \(Self.synthetic)\n"
            .write(to: spec, atomically: true, encoding: .utf8)
        let out = directory.appendingPathComponent("out")
        let run = try Executables.run("regimen", ["sweep", "--spec", spec.path, "--out", out.path])
        #expect(run.status == 65 && run.standardError.contains("learning_rat"), "\(run.standardError)")
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("runs.jsonl").path))
    }

    @Test(
        "a dotted grid key sets one key inside a mapping and keeps the others (each refusal proves where the value went)",
        arguments: [
            ("config: {}\ngrid: {budget.tau: [20]}\n", "budget.tau must be from 0 to 10; found 20.0"),
            ("config: {budget: {band: 3}}\ngrid: {budget.tau: [1]}\n", "budget.band must be from 0 to 2; found 3.0"),
            ("config: {}\ngrid: {budget.taux: [1]}\n", "taux"),
            ("config: {}\ngrid: {\(String(repeating: "a.", count: 100))b: [1]}\n", "nests deeper than 3 keys"),
        ])
    func dottedGridKeys(_ head: String, _ message: String) throws {
        let directory = try Fixtures.temporaryDirectory()
        let spec = directory.appendingPathComponent("dotted.yaml")
        try (head + "walk_forward: \"600:150:expanding\"\nfrom: 2021-01-01\nto: 2021-08-29\ndata: \(Self.synthetic)\n")
            .write(to: spec, atomically: true, encoding: .utf8)
        let out = directory.appendingPathComponent("out")
        let run = try Executables.run("regimen", ["sweep", "--spec", spec.path, "--out", out.path])
        #expect(run.status == 65 && run.standardError.contains(message), "\(run.standardError)")
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("runs.jsonl").path))
    }
}
