import Backtest
import Features
import Foundation
import Market
import Optimizers
import Policy
import Regimes
import Risk
import Support
import TensorModule

/// What every ensemble member trains on: the data, the config, the fitted inputs, the
/// training rows and the validation backtest (`PolicyTrainer.prepare`).
package struct TrainingSetting: Sendable {
    let dataset: Dataset
    let config: TrainingConfig
    let name: String
    package let inputs: PolicyInputs
    let normalisation: FeatureNormalisation
    let regimeModel: GaussianHMM
    let trainRows: ClosedRange<Int>
    let validation: BacktestSettings
    /// The cost model the loss is differentiated through (the validation simulator's).
    let costs: DifferentiableCosts
    /// The index in `config.sleeves` of the sleeve training starts on (nil without sleeves).
    let startSleeve: Int?
    /// The validation backtest's session inputs, computed by the first network scored and
    /// reused for every later epoch and member (they do not depend on the parameters).
    let validationInputs = SharedSessionInputs()
}

/// One ensemble member's training as a value that an epoch advances: the network, Adam's
/// state, the generator that draws the training windows, early stopping on the validation
/// Sharpe and the epochs so far. `TrainingCheckpoint` saves and restores exactly this, so
/// an interrupted run resumes to the same bytes.
package struct MemberTraining {
    /// The member's index (0-based; logs count from 1).
    let member: Int
    let network: PolicyNetwork<Float>
    let setting: TrainingSetting
    var adam: Adam<Float>
    var generator: SeededGenerator
    var stopping: EarlyStopping<Float>
    /// The anchored parameters' starting values, which the anchor penalty pulls toward.
    let anchor: [Tensor<Float>]
    /// The epochs trained so far, in order.
    var history: [PolicyTrainer.Epoch] = []

    /// The member's fresh network from its own seed, scored on the validation range.
    package init(member: Int, setting: TrainingSetting) throws {
        let config = setting.config
        let seed = PolicyTrainer.memberSeed(config.seed, member)
        let network = PolicyNetwork<Float>(
            scorerInputs: setting.inputs.scorerInputs, cashInputs: setting.inputs.cashInputs, hidden: config.hidden, seed: seed,
            name: PolicyNetwork<Float>.memberName(member), sleeves: config.sleeves.count, tilt: config.tilt,
            budget: config.budget)
        if config.start == .equalWeight { network.startAtEqualWeight() }
        if let start = setting.startSleeve { network.startOnSleeve(start, share: config.startShare) }
        anchor = network.anchoredParameters.map { $0.value.detached }
        self.member = member
        self.setting = setting
        self.network = network
        adam = Adam<Float>(learningRate: config.learningRate)
        generator = SeededGenerator(seed: seed &+ 11)
        stopping = EarlyStopping(
            goal: .maximise, patience: config.patience, minimumImprovement: 1e-9,
            startingScore: try Self.validationSharpe(of: network, setting), parameters: network.parameters)
    }

    /// The last epoch trained (0 before the first).
    var epoch: Int { history.last?.epoch ?? 0 }

    /// Whether the member is done: every epoch trained, or patience run out; at once for a
    /// budget policy with `tau: 0`, whose scores cannot move it from its anchor.
    var isFinished: Bool { epoch >= setting.config.epochs || stopping.shouldStop || setting.config.budget?.tau == 0 }

    /// Trains one epoch (`stepsPerEpoch` Adam steps on random windows of the training rows),
    /// scores it on the validation range and records it.
    /// - Returns: the epoch's record.
    mutating func step() throws -> PolicyTrainer.Epoch {
        let loss = trainBatches()
        let sharpe = try Self.validationSharpe(of: network, setting)
        stopping.record(sharpe, parameters: network.parameters)
        let record = PolicyTrainer.Epoch(member: member + 1, epoch: epoch + 1, loss: loss, validationSharpe: sharpe)
        history.append(record)
        return record
    }

    /// An epoch's training without its validation: `stepsPerEpoch` clipped Adam steps, each on
    /// a batch of random windows of the training rows (`PolicyStep`).
    /// - Returns: the mean of the steps' losses.
    package mutating func trainBatches() -> Double {
        let config = setting.config
        var total = 0.0
        for _ in 0..<config.stepsPerEpoch {
            let starts = PolicyStep.windowStarts(config, trainRows: setting.trainRows, using: &generator)
            let loss = PolicyStep.loss(
                network, setting.inputs, starts: starts, config: config, costs: setting.costs, anchor: anchor)
            PolicyStep.update(network, gradients: loss.gradients(), clip: config.clip, adam: &adam)
            total += Double(loss.scalar)
        }
        return total / Double(config.stepsPerEpoch)
    }

    /// The network with its best epoch's parameters.
    func finished() -> PolicyNetwork<Float> {
        stopping.restoreBest(into: network.parameters)
        return network
    }

    /// The validation Sharpe of `network` as it is (the plain simulator, the config's fee and `aum`).
    private static func validationSharpe(of network: PolicyNetwork<Float>, _ setting: TrainingSetting) throws -> Double? {
        var allocator = PolicyAllocator(
            name: setting.name, members: [network], normalisation: setting.normalisation, regimeModel: setting.regimeModel,
            spec: setting.config.features, sleeves: setting.config.sleeves)
        allocator.sharedInputs = setting.validationInputs
        return try Simulator.run(allocator, on: setting.dataset, settings: setting.validation).metrics.sharpe
    }
}
