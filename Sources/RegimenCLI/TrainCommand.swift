import ArgumentParser
import CommandSupport
import Foundation
import ModelStore
import Support
import Training

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

    /// The options as a job plan. The name and the budget are checked here, not in
    /// `validate()`: the `--validate` option takes that name.
    func plan() throws -> TrainingJob.Plan {
        guard ModelRegistry.isValidName(modelName) else {
            throw ValidationError(
                "the model name '\(modelName)' (\(name == nil ? "the config's file name; give --name" : "--name")) must be \(ModelRegistry.nameRule)"
            )
        }
        if let epochBudget, epochBudget < 1 {
            throw CommandFailure(description: "--epoch-budget must be at least 1; found \(epochBudget)", status: ExitStatus.usage)
        }
        var plan = TrainingJob.Plan(dataDirectory: data, configPath: config, modelsDirectory: models, name: modelName)
        plan.seed = seed
        plan.trainRange = train
        plan.validationRange = validate
        plan.epochBudget = epochBudget
        plan.quiet = quiet
        // Checked before any work: a URL no request can reach would fail after training.
        if let mlflow { _ = try ServerURL.check(mlflow, option: "--mlflow") }
        plan.mlflow = mlflow.map { TrainingJob.MLflowTarget(server: $0, experiment: mlflowExperiment) }
        return plan
    }

    func run() throws {
        try withExitStatus {
            guard let version = try TrainingJob.run(try plan(), note: printNote) else { return }
            print("\(modelName):\(version)")
        }
    }
}
