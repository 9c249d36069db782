import ArgumentParser
import CommandSupport
import Foundation
import Inference
import LinearAlgebra
import Market
import ModelStore
import Portfolio
import Support

#if canImport(Glibc)
    import Glibc
#endif

/// `regimen-infer`: the daily job that turns a model version into today's weights under risk
/// limits (contract section 6). Exit statuses: 0 written, 64 usage, 65 bad data or limits,
/// 66 missing or damaged model or input, 70 model failure, 75 stale data. Nothing is written
/// unless every check passes; the file appears whole (temporary file, fsync, rename).
@main
struct RegimenInfer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "regimen-infer",
        abstract: "Write today's portfolio weights from a model version, under risk limits.",
        discussion:
            "Exit: 0 written; 64 usage; 65 bad data/limits; 66 missing or damaged model/input; 70 model failure; 75 stale data.",
        version: "0.1.0")

    @Option(help: "The model registry.") var models: String = "models"
    @Option(help: "NAME:VERSION or NAME@ALIAS.") var model: String
    @Option(help: "The dataset directory.") var data: String
    @Option(name: .customLong("as-of"), help: "The decision date (YYYY-MM-DD); data after it is never read.") var asOf: String
    @Option(help: "A limits file (YAML).") var limits: String?
    @Option(help: "The previous weights file (turnover, held weights).") var previous: String?
    @Flag(
        name: .customLong("allow-first-run"),
        help: "A missing --previous file is a first run (start from cash) while --history holds no earlier day.")
    var allowFirstRun = false
    @Option(help: "The weights file to write.") var out: String?
    @Option(name: .customLong("max-staleness"), help: "Periods the newest price row may lag --as-of.") var maxStaleness: Int = 1
    @Option(help: "Also keep each day's file as DIR/AS_OF.json.") var history: String?
    @Flag(help: "Overwrite a different history file for the same date.") var force = false
    @Flag(help: "Explain the weights for a person (stderr).") var explain = false
    @Flag(help: "Validate inputs, model and limits; write nothing.") var check = false
    @Option(help: "With --explain: the book's NAV in USD, to estimate today's fee and market impact (0 to 1e15).")
    var aum: Double?

    func validate() throws {
        guard ModelRegistry.Reference(parsing: model) != nil else {
            throw ValidationError("--model must be NAME:VERSION or NAME@ALIAS; found '\(model)'")
        }
        guard Timestamp(parsing: asOf) != nil else { throw ValidationError("--as-of must be a date YYYY-MM-DD; found '\(asOf)'") }
        guard maxStaleness >= 0 else { throw ValidationError("--max-staleness must be at least 0") }
        if let aum {
            guard explain else { throw ValidationError("--aum sizes the trade-cost line of --explain; give --explain too") }
            guard MarketImpact.capitalRange.contains(aum) else {
                throw ValidationError(MarketImpact.capitalRefusal("--aum", found: "\(aum)"))
            }
        }
        guard check || out != nil else { throw ValidationError("give --out FILE (or --check to validate only)") }
        if allowFirstRun {
            guard previous != nil else {
                throw ValidationError("--allow-first-run needs --previous FILE, the file a first run lacks")
            }
            guard history != nil else {
                throw ValidationError(
                    "--allow-first-run needs --history DIR: without it a first run cannot be told from a lost previous file")
            }
        }
    }

    func run() throws {
        let started = Date()
        // The daily job's products are small: one BLAS thread avoids idle worker threads.
        BLASThreads.set(1)
        try withExitStatus { try execute(started: started) }
    }

    private func execute(started: Date) throws {
        var plan = DailyJob.Plan(
            models: models, model: ModelRegistry.Reference(parsing: model)!, data: data, asOf: Timestamp(parsing: asOf)!)
        (plan.limits, plan.previous, plan.out, plan.history) = (limits, previous, out, history)
        (plan.maxStaleness, plan.force, plan.check) = (maxStaleness, force, check)
        plan.allowFirstRun = allowFirstRun
        plan.assetsUnderManagement = aum
        let job = try DailyJob.run(plan, beforeRename: Self.simulatedCrash)
        if job.firstRun { printNote(DailyJob.firstRunNote(plan)) }
        if explain { printNote(job.decision.explanation) }
        let wall = Int((Date().timeIntervalSince(started) * 1000).rounded())
        printNote(
            job.decision.summaryLine(
                version: job.version, result: check ? "checked (nothing written)" : "wrote=\(out!)", wallMilliseconds: wall))
    }

    /// Fault injection for the crash test: with `REGIMEN_SIMULATE_CRASH_BEFORE_RENAME=1` the
    /// job dies after the temporary file is complete and before the rename, as a crash would
    /// (the destination must keep its previous contents).
    static func simulatedCrash() {
        if ProcessInfo.processInfo.environment["REGIMEN_SIMULATE_CRASH_BEFORE_RENAME"] == "1" { Glibc.exit(70) }
    }
}
