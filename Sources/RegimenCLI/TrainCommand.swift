import ArgumentParser
import CommandSupport
import Foundation
import Market
import ModelStore
import Support
import Tracking
import Training

#if canImport(Glibc)
    import Glibc
#endif

/// `regimen train --data DIR --config FILE --models DIR [--name NAME] [--seed S]
/// [--train D..D] [--validate D..D]`: trains the regime model and the policy and writes a
/// new version; prints `NAME:VERSION` last on stdout.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train", abstract: "Train the regime model and the allocation policy into a new model version.",
        discussion: "The config's file name is the model's name (models/default.yaml trains `default`). Progress goes to stderr.")

    @Option(help: "The dataset directory.") var data: String
    @Option(help: "The training config (YAML).") var config: String
    @Option(help: "The model registry.") var models: String = "models"
    @Option(help: "The model name (default: the config's file name).") var name: String?
    @Option(help: "Override the config's seed.") var seed: UInt64?
    @Option(help: "Override the training range, YYYY-MM-DD..YYYY-MM-DD.") var train: String?
    @Option(help: "Override the validation range, YYYY-MM-DD..YYYY-MM-DD.") var validate: String?
    @Flag(help: "No progress lines (for schedulers).") var quiet = false
    @Option(help: "An MLflow tracking server to log the training to (params, metrics, tags), e.g. http://127.0.0.1:5000.")
    var mlflow: String?
    @Option(name: .customLong("mlflow-experiment"), help: "The MLflow experiment (with --mlflow).")
    var mlflowExperiment: String = "regimen-train"
    @Option(
        name: .customLong("epoch-budget"),
        help: "Train at most this many epochs now; a later run with the same config and data resumes from the checkpoint.")
    var epochBudget: Int?

    /// The model's name: `--name`, or the config's file name.
    var modelName: String { name ?? URL(fileURLWithPath: config).deletingPathExtension().lastPathComponent }

    func run() throws {
        try withExitStatus {
            // Checked here, not in `validate()`: the `--validate` option takes that name.
            guard ModelRegistry.isValidName(modelName) else {
                throw ValidationError(
                    "the model name '\(modelName)' (\(name == nil ? "the config's file name; give --name" : "--name")) must be \(ModelRegistry.nameRule)"
                )
            }
            if let epochBudget, epochBudget < 1 {
                throw CommandFailure(
                    description: "--epoch-budget must be at least 1; found \(epochBudget)", status: ExitStatus.usage)
            }
            let started = Date()
            let text = try InputFile.text(config, limit: InputFile.settingsLimit)
            var settings = try YAMLDocument.decode(TrainingConfig.self, from: text, file: config)
            if let seed { settings.seed = seed }
            if let train { settings.train = train }
            if let validate { settings.validate = validate }
            if let problem = settings.problems.first { throw YAMLDocumentProblem(file: config, rule: problem) }
            let dataset = try DatasetReader.load(directory: data)
            let registry = ModelRegistry(root: URL(fileURLWithPath: models))
            let key = SHA256.hex(
                Array(
                    (String(decoding: try CanonicalJSON.encode(settings), as: UTF8.self) + ModelPublisher.dataFingerprint(data))
                        .utf8))
            let folder = registry.root.appendingPathComponent(modelName)
            let checkpoint = folder.appendingPathComponent(".checkpoint-\(key.prefix(16))")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            // Two runs of the same config on the same data share the checkpoint: the second
            // waits for the first, then trains its own version from scratch.
            let trained = try FileLock.withExclusive(folder.appendingPathComponent(".checkpoint-\(key.prefix(16)).lock")) {
                () throws -> (outcome: PolicyTrainer.Outcome, version: Int)? in
                let progress = Progress(
                    "train", total: settings.ensemble * settings.epochs, unit: "epochs", quiet: quiet)
                let outcome: PolicyTrainer.Outcome
                do {
                    outcome = try PolicyTrainer.train(
                        dataset, config: settings, name: modelName, checkpoint: checkpoint, epochBudget: epochBudget
                    ) { line in
                        // Epoch lines advance the bar (early stopping may end it short of the
                        // total); other lines are status.
                        if line.contains("epoch ") { progress.step(line) } else { Progress.status(line, quiet: quiet) }
                    }
                    progress.finish()
                } catch let paused as PolicyTrainer.Paused {
                    printNote(paused.description)
                    return nil
                }
                let version = try ModelPublisher.publish(
                    outcome, config: settings, name: modelName, dataset: dataset, dataDirectory: data, registry: registry)
                try? FileManager.default.removeItem(at: checkpoint)
                return (outcome, version)
            }
            guard let (outcome, version) = trained else { return }
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            if !quiet {
                // Strings are interpolated, never passed to `%@` (on Linux that can read a Swift
                // string's inline bytes as a pointer).
                let sharpe = outcome.validationSharpe.map { String(format: "%.3f", $0) } ?? "n/a"
                let equalWeight = outcome.equalWeightValidationSharpe.map { String(format: "%.3f", $0) } ?? "n/a"
                let cost = String(
                    format: "%.1f s, peak memory %.0f MB", Date().timeIntervalSince(started), Double(usage.ru_maxrss) / 1024)
                printNote("trained \(modelName):\(version) in \(cost); validation Sharpe \(sharpe) (equal-weight \(equalWeight))")
            }
            if let mlflow { try log(outcome, version: version, to: mlflow, settings: settings) }
            print("\(modelName):\(version)")
        }
    }

    /// Logs the trained version to MLflow: the config's top-level settings as params, the
    /// validation Sharpe ratios as metrics, tagged with the version and the code revision.
    func log(_ outcome: PolicyTrainer.Outcome, version: Int, to server: String, settings: TrainingConfig) throws {
        guard let url = URL(string: server), ["http", "https"].contains(url.scheme ?? "") else {
            throw CommandFailure(description: "--mlflow must be an http(s) URL; found '\(server)'", status: ExitStatus.usage)
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
            client: MLflowClient(trackingURI: url), experiment: mlflowExperiment, sweep: "train",
            codeRevision: CodeRevision.ofExecutable)
        let id =
            "train-\(modelName)-\(version)-"
            + String(SHA256.hex(SHA256.digest(Array(try CanonicalJSON.encode(settings)))).prefix(12))
        _ = try export.export([.init(id: id, params: params, metrics: metrics, failed: false)], summary: nil, kind: "train")
        if !quiet { printNote("logged \(modelName):\(version) to MLflow at \(server), experiment \(mlflowExperiment)") }
    }
}
