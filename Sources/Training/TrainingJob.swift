import Foundation
import Market
import ModelStore
import Support
import Tracking

#if canImport(Glibc)
    import Glibc
#endif

/// What `regimen train` does, as a library value: reads the config (with the plan's
/// overrides) and the data, trains the regime model and the policy under a checkpoint keyed
/// by config and data, publishes a new version and optionally logs it to MLflow. The command
/// parses options into a `Plan`.
package enum TrainingJob {
    /// The inputs of a job.
    package struct Plan: Sendable {
        package var dataDirectory: String
        /// The training config (YAML).
        package var configPath: String
        /// The model registry's folder.
        package var modelsDirectory: String
        /// The model's name (a valid registry name: the caller checks it).
        package var name: String
        /// Overrides of the config's seed, training range and validation range.
        package var seed: UInt64?
        package var trainRange: String?
        package var validationRange: String?
        /// At most this many epochs now; a later job with the same config and data resumes.
        package var epochBudget: Int?
        /// No progress bar and no notes on stderr (the pause note is still given).
        package var quiet = false
        /// An MLflow server to log the trained version to.
        package var mlflow: MLflowTarget?

        package init(dataDirectory: String, configPath: String, modelsDirectory: String, name: String) {
            self.dataDirectory = dataDirectory
            self.configPath = configPath
            self.modelsDirectory = modelsDirectory
            self.name = name
        }
    }

    /// Where a trained version is logged: an MLflow tracking server (as given, an http(s)
    /// URL) and the experiment.
    package struct MLflowTarget: Sendable {
        package var server: String
        package var experiment: String

        package init(server: String, experiment: String) {
            self.server = server
            self.experiment = experiment
        }
    }

    /// A job that cannot log its version: the MLflow server is not an http(s) URL (64).
    package struct Problem: ReportableError {
        package let description: String
        package var exitStatus: Int32 { ExitStatus.usage }
    }

    /// Trains and publishes a new version of `plan.name`, then logs it to MLflow when the
    /// plan names a server. Notes (the pause, the trained version, the MLflow run) go to
    /// `note`.
    /// - Returns: the new version, or nil when the epoch budget paused the training.
    package static func run(_ plan: Plan, note: (String) -> Void) throws -> Int? {
        let started = Date()
        try OutputFolder.check(plan.modelsDirectory, option: "--models", purpose: "the model registry")
        let settings = try readConfig(plan)
        let dataset = try DatasetReader.load(directory: plan.dataDirectory)
        let registry = ModelRegistry(root: URL(fileURLWithPath: plan.modelsDirectory))
        let trained: (outcome: PolicyTrainer.Outcome, version: Int)?
        do {
            trained = try trainAndPublish(plan, settings, dataset, registry: registry, note: note)
        } catch let failure as PolicyTrainer.Failure {
            // The config does not fit the data: name the config, as evaluate names a recipe.
            throw LocatedError(place: plan.configPath, failure)
        }
        guard let (outcome, version) = trained else { return nil }
        if !plan.quiet { note(summary(of: outcome, plan: plan, version: version, started: started)) }
        if let target = plan.mlflow {
            try log(outcome, version: version, to: target, name: plan.name, settings: settings)
            if !plan.quiet {
                note("logged \(plan.name):\(version) to MLflow at \(target.server), experiment \(target.experiment)")
            }
        }
        return version
    }

    /// The config with the plan's overrides; refused when a value breaks a rule.
    static func readConfig(_ plan: Plan) throws -> TrainingConfig {
        let text = try InputFile.text(plan.configPath, limit: InputFile.settingsLimit)
        var settings = try YAMLDocument.decode(TrainingConfig.self, from: text, file: plan.configPath)
        if let seed = plan.seed { settings.seed = seed }
        if let train = plan.trainRange { settings.train = train }
        if let validate = plan.validationRange { settings.validate = validate }
        if let problem = settings.problems.first {
            throw YAMLDocument.problem(problem, placedIn: text, file: plan.configPath)
        }
        return settings
    }

    /// Trains under the checkpoint lock and publishes the version; nil when paused (the
    /// checkpoint then holds the state). Two jobs of the same config on the same data share
    /// the checkpoint: the second waits for the first, then trains its own version from
    /// scratch.
    static func trainAndPublish(
        _ plan: Plan, _ settings: TrainingConfig, _ dataset: Dataset, registry: ModelRegistry, note: (String) -> Void
    ) throws -> (outcome: PolicyTrainer.Outcome, version: Int)? {
        let key = SHA256.hex(
            Array(
                (String(decoding: try CanonicalJSON.encode(settings), as: UTF8.self)
                    + ModelPublisher.dataFingerprint(plan.dataDirectory)).utf8))
        let folder = registry.root.appendingPathComponent(plan.name)
        let isNewModel = !FileManager.default.fileExists(atPath: folder.path)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // Lock files of trainings that were killed are removed; this one is removed when done.
        FileLock.removeStale(in: folder, prefix: ".checkpoint-", suffix: ".lock")
        do {
            return try lockedTrainAndPublish(plan, settings, dataset, registry: registry, key: key, note: note)
        } catch {
            // A refused first training leaves no empty model folder (rmdir removes only an
            // empty one, so a concurrent training's files are never touched).
            if isNewModel { rmdir(folder.path) }
            throw error
        }
    }

    /// `trainAndPublish` under the checkpoint lock of `key` in the model's folder.
    private static func lockedTrainAndPublish(
        _ plan: Plan, _ settings: TrainingConfig, _ dataset: Dataset, registry: ModelRegistry, key: String,
        note: (String) -> Void
    ) throws -> (outcome: PolicyTrainer.Outcome, version: Int)? {
        let folder = registry.root.appendingPathComponent(plan.name)
        let checkpoint = folder.appendingPathComponent(".checkpoint-\(key.prefix(16))")
        return try FileLock.withExclusive(
            folder.appendingPathComponent(".checkpoint-\(key.prefix(16)).lock"), removingAfter: true
        ) {
            let progress = Progress("train", total: settings.ensemble * settings.epochs, unit: "epochs", quiet: plan.quiet)
            let outcome: PolicyTrainer.Outcome
            do {
                outcome = try PolicyTrainer.train(
                    dataset, config: settings, name: plan.name, checkpoint: checkpoint, epochBudget: plan.epochBudget
                ) { line in
                    // Epoch lines advance the bar (early stopping may end it short of the
                    // total); other lines are status.
                    if line.contains("epoch ") { progress.step(line) } else { Progress.status(line, quiet: plan.quiet) }
                }
                progress.finish()
            } catch let paused as PolicyTrainer.Paused {
                note(paused.description)
                return nil
            }
            let version = try ModelPublisher.publish(
                outcome, name: plan.name, dataset: dataset, dataDirectory: plan.dataDirectory,
                registry: registry)
            try? FileManager.default.removeItem(at: checkpoint)
            return (outcome, version)
        }
    }

    /// The note on a trained version: its time, peak memory and validation Sharpe ratios.
    static func summary(of outcome: PolicyTrainer.Outcome, plan: Plan, version: Int, started: Date) -> String {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        // Strings are interpolated, never passed to `%@` (on Linux that can read a Swift
        // string's inline bytes as a pointer).
        let sharpe = outcome.validationSharpe.map { String(format: "%.3f", $0) } ?? "n/a"
        let equalWeight = outcome.equalWeightValidationSharpe.map { String(format: "%.3f", $0) } ?? "n/a"
        let cost = String(
            format: "%.1f s, peak memory %.0f MB", Date().timeIntervalSince(started), Double(usage.ru_maxrss) / 1024)
        return "trained \(plan.name):\(version) in \(cost); validation Sharpe \(sharpe) (equal-weight \(equalWeight))"
    }

    /// Logs the trained version to MLflow: the config's top-level settings as params, the
    /// validation Sharpe ratios as metrics, each member's curves as metric histories (see
    /// `curves`), tagged with the version and the code revision.
    static func log(
        _ outcome: PolicyTrainer.Outcome, version: Int, to target: MLflowTarget, name: String, settings: TrainingConfig
    ) throws {
        guard let url = URL(string: target.server), ["http", "https"].contains(url.scheme ?? "") else {
            throw Problem(description: "--mlflow must be an http(s) URL; found '\(target.server)'")
        }
        var params: [String: String] = [:]
        if case .object(let fields) = try JSONDecoder().decode(JSONValue.self, from: CanonicalJSON.encode(settings)) {
            for (key, value) in fields {
                if case .string(let text) = value {
                    params[key] = text
                } else {
                    params[key] = try CanonicalJSON.encodeLine(value)
                }
            }
        }
        var metrics: [String: Double] = [:]
        metrics["validation_sharpe"] = outcome.validationSharpe
        metrics["equal_weight_validation_sharpe"] = outcome.equalWeightValidationSharpe
        let export = MLflowExport(
            client: MLflowClient(trackingURI: url), experiment: target.experiment, sweep: "train",
            codeRevision: CodeRevision.ofExecutable)
        let id =
            "train-\(name)-\(version)-"
            + String(SHA256.hex(SHA256.digest(Array(try CanonicalJSON.encode(settings)))).prefix(12))
        let run = MLflowExport.Run(id: id, params: params, metrics: metrics, history: curves(outcome.history), failed: false)
        _ = try export.logSingle(run, kind: "train")
    }

    /// Each ensemble member's training curves as MLflow metric histories, step = epoch:
    /// `validation_sharpe/member_M` (its validation Sharpe after the epoch) and
    /// `loss/member_M` (its mean training loss over the epoch). A resumed training's history
    /// holds the epochs before the pause too.
    static func curves(_ history: [PolicyTrainer.Epoch]) -> [MLflowClient.Metric] {
        history.flatMap { epoch -> [MLflowClient.Metric] in
            var points = [MLflowClient.Metric(key: "loss/member_\(epoch.member)", value: epoch.loss, step: epoch.epoch)]
            if let sharpe = epoch.validationSharpe {
                points.append(.init(key: "validation_sharpe/member_\(epoch.member)", value: sharpe, step: epoch.epoch))
            }
            return points
        }
    }
}
