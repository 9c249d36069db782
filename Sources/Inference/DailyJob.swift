import Artifacts
import Foundation
import Market
import ModelStore
import Policy
import Portfolio
import Support

/// The daily job as `regimen-infer` runs it (contract section 6): load the model version,
/// the data, the limits and the previous weights, decide (`DailyInference`), and write the
/// weights file and its dated copy. Every refusal, and every check of where the files go,
/// comes before the first write; the dated copy is written only after the weights file is in
/// place, so a failed run leaves no history behind.
package enum DailyJob {
    /// What the scheduler asked for.
    package struct Plan: Sendable {
        package var models: String
        package var model: ModelRegistry.Reference
        package var data: String
        package var asOf: Timestamp
        package var limits: String?
        package var previous: String?
        /// A missing `previous` is a first run while `history` holds no earlier day
        /// (`--allow-first-run`; `previousWeights`).
        package var allowFirstRun = false
        /// The weights file to write (nil with `check`).
        package var out: String?
        package var maxStaleness = 1
        /// A folder that keeps each day's file as `AS_OF.json`.
        package var history: String?
        /// Replace a different history file for the same date.
        package var force = false
        /// Validate and decide; write nothing.
        package var check = false
        /// The book's NAV in USD, to estimate today's trade cost (`--aum`).
        package var assetsUnderManagement: Double?

        package init(models: String, model: ModelRegistry.Reference, data: String, asOf: Timestamp) {
            self.models = models
            self.model = model
            self.data = data
            self.asOf = asOf
        }
    }

    /// An output location the job cannot write to, found before anything is written.
    package struct Problem: ReportableError {
        package let description: String
        package let exitStatus: Int32
    }

    /// The decision and the version that made it.
    package struct Outcome {
        package let decision: DailyInference.Outcome
        package let manifest: ModelManifest
        /// The previous file was missing and the history held no earlier day.
        package let firstRun: Bool

        /// `NAME:VERSION` of the version that decided.
        package var version: String { "\(manifest.name):\(manifest.version)" }
    }

    /// Runs the job. `beforeRename` runs after the weights file's temporary copy is complete
    /// and before it replaces the destination (fault injection in tests).
    package static func run(_ plan: Plan, beforeRename: () -> Void = {}) throws -> Outcome {
        let (allocator, manifest) = try PolicyModel.load(plan.model, from: ModelRegistry(root: URL(fileURLWithPath: plan.models)))
        let dataset = try DatasetReader.load(directory: plan.data)
        var request = DailyInference.Request(asOf: plan.asOf)
        request.maxStaleness = plan.maxStaleness
        request.assetsUnderManagement = plan.assetsUnderManagement
        if let limits = plan.limits { request.limits = try RiskLimits.read(limits) }
        let previous = try previousWeights(plan)
        request.previous = previous.file
        let decision = try DailyInference.run(model: allocator, dataset: dataset, request: request)
        if !plan.check, let out = plan.out {
            try write(
                try CanonicalJSON.encode(decision.file), asOf: decision.file.asOf, to: out, plan: plan, beforeRename: beforeRename
            )
        }
        return Outcome(decision: decision, manifest: manifest, firstRun: previous.firstRun)
    }

    /// Writes the weights file, then its dated copy (`asOf`, the decision row's date), after
    /// checking both places.
    static func write(_ bytes: Data, asOf: String, to out: String, plan: Plan, beforeRename: () -> Void) throws {
        let destination = URL(fileURLWithPath: out)
        try AtomicFile.checkDestination(destination)
        var dated: URL?
        if let history = plan.history {
            try checkHistoryFolder(history)
            let file = URL(fileURLWithPath: history).appendingPathComponent("\(asOf).json")
            if InputFile.exists(file.path) {
                try AtomicFile.checkDestination(file)
                let existing = try InputFile.data(file.path, limit: InputFile.settingsLimit)
                if existing != bytes && !plan.force {
                    throw Problem(
                        description: "\(file.path) exists with different weights; pass --force to replace it",
                        exitStatus: ExitStatus.badData)
                }
            }
            dated = file
        }
        try AtomicFile.write(bytes, to: destination, beforeRename: beforeRename)
        if let dated {
            try FileManager.default.createDirectory(at: dated.deletingLastPathComponent(), withIntermediateDirectories: true)
            try AtomicFile.write(bytes, to: dated)
        }
    }

    /// Refuses a history path that exists and is not a folder (a missing one is made).
    static func checkHistoryFolder(_ path: String) throws(Problem) {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue {
            throw Problem(
                description: "--history \(path) is a file, not a folder; nothing written", exitStatus: ExitStatus.usage)
        }
    }
}
