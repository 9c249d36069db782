import ArgumentParser
import CommandSupport
import Foundation
import Market
import ModelStore
import RegimeFitting
import Regimes
import Support

extension RegimeClassifier.Architecture: ExpressibleByArgument {}

/// `regimen regimes classify`: the labeller and a classifier of the regime at t + h, measured
/// on a held-out range against persistence and the class prior; `--save DIR` stores the
/// regime model (JSON description and safetensors weights).
struct RegimesClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Train a regime classifier (MLP or GRU) and compare it with naive forecasts on held-out data.",
        discussion: """
            Rows are split in time: the first 60% train (the HMM is fitted on them only), the next 20% validate \
            (early stopping), the last 20% test. Inputs at t are the normalised market features and the HMM's \
            filtered probabilities at t; the target is the HMM's label at t + h.
            """)

    @Option(help: "The dataset directory.") var data: String
    @Option(help: "Number of regimes.") var states: Int = 3
    @Option(help: "mlp or gru.") var architecture: RegimeClassifier.Architecture = .mlp
    @Option(help: "Forecast horizon h in periods (0 = nowcast).") var horizon: Int = 1
    @Flag(name: .customLong("class-weights"), help: "Weight classes by inverse frequency.") var classWeights = false
    @Option(help: "Seed.") var seed: UInt64 = 7
    @Option(help: "A directory to save the regime model into.") var save: String?
    @Option(help: "The metrics JSON to write.") var out: String

    func validate() throws {
        guard states >= 2 && states <= 12 else { throw ValidationError("--states must be 2 to 12; found \(states)") }
        try OptionRange.check(horizon, in: OptionRange.regimeHorizon, option: "--horizon")
    }

    func run() throws {
        try withExitStatus {
            let dataset = try DatasetReader.load(directory: data)
            var request = RegimeStudy.Request()
            request.hmm.states = states
            request.hmm.seed = seed
            request.horizon = horizon
            request.classifier.architecture = architecture
            request.classifier.classWeights = classWeights
            request.classifier.seed = seed
            let study = try RegimeStudy.run(dataset, request)
            try AtomicFile.write(try CanonicalJSON.encode(study.outcome), to: URL(fileURLWithPath: out))
            if let save {
                try RegimeModelFiles.write(study, to: URL(fileURLWithPath: save))
            }
            let o = study.outcome
            let verdict =
                o.beatsNaive ? "the classifier beats both naive forecasts" : "the classifier does NOT beat both naive forecasts"
            printNote(
                String(
                    format:
                        "test log-loss: classifier %.4f, persistence %.4f, HMM forecast %.4f, prior %.4f; accuracy %.3f / %.3f / %.3f / %.3f; ",
                    o.classifier.logLoss, o.persistence.logLoss, o.hmmForecast.logLoss, o.prior.logLoss, o.classifier.accuracy,
                    o.persistence.accuracy, o.hmmForecast.accuracy, o.prior.accuracy) + verdict)
        }
    }
}
