import ArgumentParser
import Foundation
import Market
import Policy
import Support
import Training

/// `regimen-bench policy-train`: one epoch of the policy's training as `regimen train` runs
/// it, in Float32: `steps_per_epoch` mini-batches, each `batch` random windows of `window`
/// decisions rolled out through the differentiable accounting, the loss, its gradients, the
/// global-norm clip and an Adam step (`MemberTraining.trainBatches`). The validation that
/// ends a training epoch is left out, as in the PyTorch twin (`scripts/bench/policy_torch.py`).
/// One ensemble member (the first, from the config's seed); preparing the inputs (regime
/// model, features) is not timed. `seconds` is the median epoch.
struct PolicyTrainWorkload: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy-train", abstract: "Seconds per epoch of the policy's training (Float32, one member).")

    @Option(help: "The dataset.") var data = "data/synthetic"
    @Option(help: "The training config (default: every default, i.e. models/default.yaml).") var config: String?
    @Option(
        help: ArgumentHelp(
            "Write what the first epoch reads (inputs, windows, parameters) as JSON for policy_torch.py, instead of timing.",
            valueName: "file"))
    var dump: String?
    @OptionGroup var common: CommonOptions

    func run() throws {
        common.apply()
        let trainingConfig = try readConfig()
        let dataset = try DatasetReader.load(directory: data)
        let setting = try PolicyTrainer.prepare(dataset, config: trainingConfig, name: "bench")
        var training = try MemberTraining(member: 0, setting: setting)
        if let dump {
            try AtomicFile.write(try PolicyStepDump(training, data: data).encoded(), to: URL(fileURLWithPath: dump))
            return
        }
        let measurement = Measurement.time(repeats: common.repeats, steps: 1) { _ = training.trainBatches() }
        let c = trainingConfig
        let inputs = setting.inputs
        let widths = [inputs.scorerInputs] + c.hidden + [1]
        let macs = zip(widths, widths.dropFirst()).reduce(0) { $0 + $1.0 * $1.1 } * inputs.assets + inputs.cashInputs
        var line = measurement.fields(flopsPerStep: 6 * Double(macs * c.batch * c.window * c.stepsPerEpoch))
        line["workload"] = "policy-train"
        line["params"] =
            [
                "batch": c.batch, "window": c.window, "hidden": c.hidden, "steps_per_epoch": c.stepsPerEpoch,
                "assets": inputs.assets, "data": data,
            ] as [String: Any]
        line["threads"] = common.threads
        printJSONLine(line)
    }

    /// The `--config` file's training config (refused when a value breaks a rule), or the defaults.
    private func readConfig() throws -> TrainingConfig {
        guard let config else { return TrainingConfig() }
        let text = try InputFile.text(config, limit: InputFile.settingsLimit)
        let settings = try YAMLDocument.decode(TrainingConfig.self, from: text, file: config)
        if let problem = settings.problems.first { throw YAMLDocument.problem(problem, placedIn: text, file: config) }
        return settings
    }
}
