import ArgumentParser
import CommandSupport
import Foundation
import Sweep

/// `regimen sweep` (contract section 9): grid points x seeds x folds, each a training and an
/// out-of-sample backtest; `runs.jsonl`, `summary.json`, `report.html`; resumable.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep", abstract: "Run a sweep of training configs walk-forward: runs.jsonl, summary.json, report.html.",
        subcommands: [SweepRunCommand.self, SweepOneCommand.self, SweepExportCommand.self],
        defaultSubcommand: SweepRunCommand.self)
}

/// `regimen sweep --spec FILE --out DIR [--executor local] [--jobs N]`.
struct SweepRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run every run of a spec not yet in DIR/runs.jsonl, then write the summary and the report.",
        discussion: """
            A spec (YAML) holds config (a training config, or the path of one), grid (config key -> list of values), \
            seeds, walk_forward (TRAIN:TEST:rolling|expanding), from, to, data and optionally fee_bps. Each run \
            (grid point x seed x fold) trains on its fold's window and is backtested on its test rows, in a child \
            process with one BLAS thread; --jobs of them at once. A run that fails is recorded with its error. A \
            rerun skips the runs already in runs.jsonl, so an interrupted sweep resumes. runs.jsonl is rewritten \
            sorted by run_id at the end: the same bytes whatever --jobs.
            """)

    @Option(help: "The sweep spec (YAML).") var spec: String
    @Option(help: "The output folder (created if needed).") var out: String
    @Option(help: "Where runs execute: local (child processes) or ray (tasks on an existing Ray cluster).")
    var executor: String = "local"
    @Option(help: "The Ray cluster's address (ray executor).") var address: String = "auto"
    @Option(help: "The Python with the pinned ray (ray executor; default: $REGIMEN_PYTHON, else python3).")
    var python: String = ProcessInfo.processInfo.environment["REGIMEN_PYTHON"] ?? "python3"
    @Option(name: .customLong("ray-driver"), help: "A Ray driver script to run instead of the one built into regimen.")
    var rayDriver: String?
    @Option(help: "Runs at once (default: the machine's cores).") var jobs: Int = ProcessInfo.processInfo.activeProcessorCount
    @Flag(help: "No progress lines.") var quiet = false

    func validate() throws {
        guard ["local", "ray"].contains(executor) else {
            throw ValidationError("--executor must be local or ray; found '\(executor)'")
        }
        guard (1...256).contains(jobs) else { throw ValidationError("--jobs must be from 1 to 256; found \(jobs)") }
    }

    /// The options as a session plan.
    var plan: SweepSession.Plan {
        var plan = SweepSession.Plan(specPath: spec, outputDirectory: out, jobs: jobs)
        if executor == "ray" { plan.executor = .ray(.init(python: python, script: rayDriver, address: address)) }
        plan.quiet = quiet
        return plan
    }

    func run() throws {
        try withExitStatus { try SweepSession.run(plan, note: printNote) }
    }
}

/// `regimen sweep run-one --spec FILE --run-id ID`: one run, its `runs.jsonl` line on stdout
/// (what the executors start).
struct SweepOneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run-one", abstract: "Run one run of a sweep and print its runs.jsonl line (the executors call it).",
        shouldDisplay: false)

    @Option(help: "The sweep spec (YAML).") var spec: String
    @Option(name: .customLong("run-id"), help: "The run's id.") var runID: String

    func run() throws {
        try withExitStatus { print(try SweepSession.runOne(runID, specPath: spec).line) }
    }
}

/// `regimen sweep export-mlflow --out DIR --tracking-uri URI --experiment NAME`: every run of
/// `DIR/runs.jsonl` and the summary, through MLflow's REST API; exporting twice adds nothing.
struct SweepExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-mlflow", abstract: "Log a sweep's runs and summary to an MLflow tracking server (REST API).")

    @Option(help: "The sweep's output folder (runs.jsonl, summary.json).") var out: String
    @Option(name: .customLong("tracking-uri"), help: "The MLflow tracking server, e.g. http://127.0.0.1:5000.") var trackingURI:
        String
    @Option(help: "The MLflow experiment (created if needed).") var experiment: String

    func validate() throws {
        _ = try ServerURL.check(trackingURI, option: "--tracking-uri")
    }

    func run() throws {
        try withExitStatus {
            let (logged, skipped) = try SweepSession.exportToMLflow(
                outputDirectory: out, trackingURI: URL(string: trackingURI)!, experiment: experiment)
            printNote(
                "exported \(out) to \(trackingURI), experiment \(experiment): \(logged) runs logged, \(skipped) already there")
        }
    }
}
