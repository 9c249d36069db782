import Foundation
import Support

/// What `regimen sweep run` does, as a library value (contract section 9): reads the spec,
/// keeps the runs already in `runs.jsonl`, runs the others on an executor, then rewrites
/// `runs.jsonl` sorted by run id and writes `summary.json` and `report.html`. The command
/// parses options into a `Plan`; a second sweep on the same folder waits for the first
/// (`.sweep.lock`).
package enum SweepSession {
    /// Where the runs execute.
    package enum Executor: Sendable, Equatable {
        /// Child processes of this binary (`regimen sweep run-one`), `Plan.jobs` at a time.
        case local
        /// Tasks on an existing Ray cluster, through the driver embedded in the binary (or
        /// the driver's `script`), the runs' inputs shipped through Ray.
        case ray(RayExecutor.Driver)
    }

    /// The inputs of a session (not `SweepPlan`, the runs of a spec, which `run` builds).
    package struct Plan: Sendable {
        /// The sweep spec (YAML), as given: children are started with this path.
        package var specPath: String
        /// The output folder as given (created if needed; notes name it this way).
        package var outputDirectory: String
        package var executor = Executor.local
        /// Runs at once (the local executor's children; the notes name it for both).
        package var jobs: Int
        /// No notes and no progress bar on stderr.
        package var quiet = false

        package init(specPath: String, outputDirectory: String, jobs: Int) {
            self.specPath = specPath
            self.outputDirectory = outputDirectory
            self.jobs = jobs
        }
    }

    /// A sweep that cannot go on: the runs to export are missing (66), a run id is not one of
    /// the spec or the output folder is a file (64).
    package struct Problem: ReportableError {
        package let description: String
        package let exitStatus: Int32
    }

    /// Runs every run of the plan's spec not yet in `runs.jsonl`, then writes the summary and
    /// the report. Notes (the counts before, the files after) go to `note`, none when quiet.
    package static func run(_ plan: Plan, note: (String) -> Void) throws {
        try OutputFolder.check(plan.outputDirectory, option: "--out", purpose: "the sweep's output")
        let sweep = try SweepPlan(spec: try SweepSpec.read(plan.specPath))
        let folder = URL(fileURLWithPath: plan.outputDirectory)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileLock.withExclusive(folder.appendingPathComponent(".sweep.lock")) {
            let results = try ChildProcesses.shared.forwardingStops {
                try runPending(sweep, plan, runsFile: folder.appendingPathComponent("runs.jsonl"), note: note)
            }
            let summary = SweepSummary(plan: sweep, results: results)
            try AtomicFile.write(try CanonicalJSON.encode(summary), to: folder.appendingPathComponent("summary.json"))
            try AtomicFile.write(Data(summary.html.utf8), to: folder.appendingPathComponent("report.html"))
            if !plan.quiet {
                note(
                    "wrote \(plan.outputDirectory): runs.jsonl (\(results.count) runs, \(summary.failed) failed), summary.json, report.html"
                )
            }
        }
    }

    /// Keeps the finished runs of `runsFile` that belong to `sweep`, runs the others, appending
    /// each line as it finishes (synced, so a kill loses at most the runs under way), and
    /// rewrites the file sorted by run id: all results, kept and new.
    /// - Throws: `Problem` (64) when `runsFile` holds finished runs that are not the spec's
    ///   (another spec's sweep in the same folder): they are never dropped, and nothing runs.
    static func runPending(_ sweep: SweepPlan, _ plan: Plan, runsFile: URL, note: (String) -> Void) throws -> [SweepResult] {
        let planned = Set(sweep.runs.map(\.id))
        let previous = finished(in: runsFile)
        if let foreign = previous.first(where: { !planned.contains($0.runID) }) {
            let count = previous.filter { !planned.contains($0.runID) }.count
            throw Problem(
                description:
                    "\(runsFile.path) holds \(count) finished run(s) that are not this spec's (run \(foreign.runID) among them): another sweep's work, which a rerun would drop; give another --out (nothing was run or changed)",
                exitStatus: ExitStatus.usage)
        }
        var results = previous
        let done = Set(results.map(\.runID))
        let pending = sweep.runs.filter { !done.contains($0.id) }
        if !plan.quiet {
            note(
                "sweep: \(sweep.runs.count) runs, \(done.count) already finished, \(pending.count) to run, \(plan.jobs) at a time"
            )
        }
        try rewrite(runsFile, results)
        let handle = try FileHandle(forWritingTo: runsFile)
        defer { try? handle.close() }
        try handle.seekToEnd()
        let progress = Progress("sweep", total: pending.count, unit: "runs", quiet: plan.quiet)
        let record = { (line: String) throws -> Void in
            guard let result = try? JSONDecoder().decode(SweepResult.self, from: Data(line.utf8)) else { return }
            try handle.write(contentsOf: Data((line + "\n").utf8))
            try handle.synchronize()
            results.append(result)
            let status =
                result.error.map { "failed: \($0)" }
                ?? "Sharpe \(result.metrics?["sharpe"].map { String(format: "%.3f", $0) } ?? "null")"
            progress.step("run \(result.runID) fold \(result.fold) seed \(result.seed): \(status)")
        }
        do {
            try execute(pending.map(\.id), of: sweep, plan, note: plan.quiet ? { _ in } : note, finished: record)
        } catch let error as RayExecutor.Failure {
            // What finished is kept; the driver's failure ends the sweep (70).
            try rewrite(runsFile, results)
            throw error
        }
        try rewrite(runsFile, results)
        return results
    }

    /// Runs `ids` on the plan's executor, handing each finished line (or a failed run's line)
    /// to `finished`; the Ray executor's notes (the submission, the nodes used) go to `note`.
    static func execute(
        _ ids: [String], of sweep: SweepPlan, _ plan: Plan, note: (String) -> Void, finished: (String) throws -> Void
    ) throws {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let byID = Dictionary(uniqueKeysWithValues: sweep.runs.map { ($0.id, $0) })
        let failure = { (id: String, reason: String) -> String in
            let run = byID[id]!
            var failed = SweepResult(runID: id, params: run.params, seed: run.seed, fold: run.fold, test: [])
            failed.error = reason
            return failed.line
        }
        switch plan.executor {
        case .ray(let driver):
            guard !ids.isEmpty else { return }
            let bundle = try RayBundle.make(specPath: plan.specPath, dataFolder: sweep.spec.data, executable: executable)
            defer { bundle.remove() }
            try RayExecutor.run(ids, bundle: bundle, driver: driver, failure: failure, note: note, finished: finished)
        case .local:
            try LocalExecutor.run(
                ids, jobs: plan.jobs, executable: executable,
                arguments: { ["sweep", "run-one", "--spec", plan.specPath, "--run-id", $0] }, failure: failure,
                finished: finished)
        }
    }

    /// Runs the run `id` of the spec at `specPath` alone: what each executor's child does.
    package static func runOne(_ id: String, specPath: String) throws -> SweepResult {
        let sweep = try SweepPlan(spec: try SweepSpec.read(specPath))
        guard let run = sweep.runs.first(where: { $0.id == id }) else {
            throw Problem(description: "run \(id) is not a run of \(specPath)", exitStatus: ExitStatus.usage)
        }
        return SweepRunner.run(run, plan: sweep)
    }

    /// The runs already in `file`; a line cut short by a kill is dropped (the run reruns).
    package static func finished(in file: URL) -> [SweepResult] {
        guard let text = try? InputFile.text(file.path, limit: 1 << 30) else { return [] }
        return text.split(separator: "\n").compactMap { try? JSONDecoder().decode(SweepResult.self, from: Data($0.utf8)) }
    }

    /// Rewrites `file` with `results` sorted by run id, atomically.
    static func rewrite(_ file: URL, _ results: [SweepResult]) throws {
        let lines = results.sorted { $0.runID < $1.runID }.map { $0.line + "\n" }.joined()
        try AtomicFile.write(Data(lines.utf8), to: file)
    }
}
