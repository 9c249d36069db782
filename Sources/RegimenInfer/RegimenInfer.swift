import ArgumentParser
import Artifacts
import CommandSupport
import Foundation
import Inference
import LinearAlgebra
import Market
import ModelStore
import Policy
import Portfolio
import Regimes
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
    @Option(help: "The weights file to write.") var out: String?
    @Option(name: .customLong("max-staleness"), help: "Periods the newest price row may lag --as-of.") var maxStaleness: Int = 1
    @Option(help: "Also keep each day's file as DIR/AS_OF.json.") var history: String?
    @Flag(help: "Overwrite a different history file for the same date.") var force = false
    @Flag(help: "Explain the weights for a person (stderr).") var explain = false
    @Flag(help: "Validate inputs, model and limits; write nothing.") var check = false

    func validate() throws {
        guard ModelRegistry.Reference(parsing: model) != nil else {
            throw ValidationError("--model must be NAME:VERSION or NAME@ALIAS; found '\(model)'")
        }
        guard Timestamp(parsing: asOf) != nil else { throw ValidationError("--as-of must be a date YYYY-MM-DD; found '\(asOf)'") }
        guard maxStaleness >= 0 else { throw ValidationError("--max-staleness must be at least 0") }
        guard check || out != nil else { throw ValidationError("give --out FILE (or --check to validate only)") }
    }

    func run() throws {
        let started = Date()
        // The daily job's products are small: one BLAS thread avoids idle worker threads.
        BLASThreads.set(1)
        try withExitStatus { try execute(started: started) }
    }

    private func execute(started: Date) throws {
        let registry = ModelRegistry(root: URL(fileURLWithPath: models))
        let (allocator, manifest) = try PolicyModel.load(ModelRegistry.Reference(parsing: model)!, from: registry)
        let dataset = try DatasetReader.load(directory: data)
        var request = DailyInference.Request(asOf: Timestamp(parsing: asOf)!)
        request.maxStaleness = maxStaleness
        if let limits { request.limits = try RiskLimits.read(limits) }
        if let previous { request.previous = try WeightsFile.read(previous) }
        let outcome = try DailyInference.run(model: allocator, dataset: dataset, request: request)
        let bytes = try CanonicalJSON.encode(outcome.file)
        if explain { FileHandle.standardError.write(Data(explanation(outcome).utf8)) }
        if !check {
            // Every refusal comes before the first write; the dated copy only after the
            // weights file is in place, so a failed run leaves no history behind.
            let destination = URL(fileURLWithPath: out!)
            try AtomicFile.checkDestination(destination)
            let dated = history.map { URL(fileURLWithPath: $0).appendingPathComponent("\(outcome.file.asOf).json") }
            if let dated {
                if InputFile.exists(dated.path) {
                    try AtomicFile.checkDestination(dated)
                    let existing = try InputFile.data(dated.path, limit: InputFile.settingsLimit)
                    if existing != bytes && !force {
                        throw CommandFailure(
                            description: "\(dated.path) exists with different weights; pass --force to replace it",
                            status: ExitStatus.badData)
                    }
                }
            }
            try AtomicFile.write(bytes, to: destination, beforeRename: Self.simulatedCrash)
            if let dated, let history {
                try FileManager.default.createDirectory(atPath: history, withIntermediateDirectories: true)
                try AtomicFile.write(bytes, to: dated)
            }
        }
        var binding = outcome.file.limits.binding.isEmpty ? "none" : outcome.file.limits.binding.joined(separator: ",")
        if let unmeasured = outcome.file.limits.unmeasured {
            binding += " unmeasured=\(unmeasured.joined(separator: ","))(held at 0)"
        }
        // Plain interpolation: `String(format:)` with `%@` reads a Swift string's inline bytes
        // as a pointer on Linux (a model named "hedged" crashed the job).
        let wall = Int((Date().timeIntervalSince(started) * 1000).rounded())
        let result = check ? "checked (nothing written)" : "wrote=\(out!)"
        FileHandle.standardError.write(
            Data(
                ("regimen-infer: as_of=\(outcome.file.asOf) model=\(manifest.name):\(manifest.version) "
                    + "data=\(outcome.dataRange.first)..\(outcome.dataRange.last) binding=\(binding) \(result) wall=\(wall)ms\n")
                    .utf8))
    }

    /// Fault injection for the crash test: with `REGIMEN_SIMULATE_CRASH_BEFORE_RENAME=1` the
    /// job dies after the temporary file is complete and before the rename, as a crash would
    /// (the destination must keep its previous contents).
    static func simulatedCrash() {
        if ProcessInfo.processInfo.environment["REGIMEN_SIMULATE_CRASH_BEFORE_RENAME"] == "1" { Glibc.exit(70) }
    }

    private func explanation(_ outcome: DailyInference.Outcome) -> String {
        var lines = ["Weights for \(outcome.file.asOf) from \(outcome.file.source.name):\(outcome.file.source.version ?? "?")"]
        if let regime = outcome.regime {
            lines.append(
                "  regime \(regime.label.description) with filtered probability \(String(format: "%.2f", regime.probability))")
        }
        lines.append("  asset        model    final")
        for name in outcome.file.weights.keys.sorted() {
            let raw = outcome.raw[name] ?? 0
            let final = outcome.file.weights[name] ?? 0
            guard raw != 0 || final != 0 else { continue }
            lines.append(
                "  " + name.padding(toLength: 10, withPad: " ", startingAt: 0)
                    + String(format: " %7.2f%% %7.2f%%", raw * 100, final * 100))
        }
        lines.append(
            "  limits that bound: "
                + (outcome.file.limits.binding.isEmpty ? "none" : outcome.file.limits.binding.joined(separator: ", ")))
        if !outcome.file.limits.relaxed.isEmpty {
            lines.append("  relaxed (hard limits won): " + outcome.file.limits.relaxed.joined(separator: ", "))
        }
        if let risk = outcome.file.risk, let volatility = risk.volAnnual, let valueAtRisk = risk.valueAtRisk,
            let shortfall = risk.expectedShortfall
        {
            lines.append(
                String(
                    format: "  risk: vol %.1f%% a year, VaR %.2f%%, ES %.2f%% at %.0f%%", volatility * 100, valueAtRisk * 100,
                    shortfall * 100, risk.confidence * 100))
        } else {
            lines.append("  risk: not measurable (the risk window is longer than the history)")
        }
        if let unmeasured = outcome.file.limits.unmeasured {
            lines.append("  held at 0, risk not measurable: " + unmeasured.joined(separator: ", "))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
