import Optimizers
import Policy
import Support
import TensorModule

/// One mini-batch of the policy's training, in any scalar type: the windows drawn, the
/// weights each window starts from, the loss over the windows' net returns, and the clipped
/// Adam update. The trainer runs it in `Float`; a test runs the same code in `Double` against
/// a PyTorch twin (`scripts/bench/policy_torch.py`), and `regimen-bench policy-train` times it.
package enum PolicyStep {
    /// The first decision row of each of `config.batch` windows, uniform over the training rows
    /// whose window of `config.window` decisions ends before `trainRows`' last row.
    package static func windowStarts(
        _ config: TrainingConfig, trainRows: ClosedRange<Int>, using generator: inout SeededGenerator
    ) -> [Int] {
        let lastStart = trainRows.upperBound - config.window
        return (0..<config.batch).map { _ in
            trainRows.lowerBound + Int(generator.next() % UInt64(lastStart - trainRows.lowerBound))
        }
    }

    /// The weights held before each window's first decision: equal over the assets listed at
    /// its start (nothing where none is), `[B][N]`.
    package static func initialHolding<Scalar: TensorScalar>(_ inputs: PolicyInputs, starts: [Int]) -> [[Scalar]] {
        starts.map { row in
            let listed = inputs.listed[row].map { Scalar($0) }
            let count = max(listed.reduce(0, +), 1)
            return listed.map { $0 / count }
        }
    }

    /// The training loss of `network` on the windows at `starts`: the config's objective over
    /// the rollout's net returns `[B, W]` (`growth`: `risk_penalty` x the risk term minus the
    /// mean log growth; `sharpe`: minus the Sharpe ratio), plus the anchor penalty, the squared
    /// distance of the anchored parameters from `anchor`, when `anchor_penalty` is positive.
    package static func loss<Scalar: TensorScalar>(
        _ network: PolicyNetwork<Scalar>, _ inputs: PolicyInputs, starts: [Int], config: TrainingConfig,
        costs: DifferentiableCosts, anchor: [Tensor<Scalar>]
    ) -> Tensor<Scalar> {
        let returns = PolicyRollout.netReturns(
            network, inputs, starts: starts, length: config.window, costs: costs,
            initialHolding: initialHolding(inputs, starts: starts))
        var loss: Tensor<Scalar>
        switch config.objective {
        case .growth:
            loss = Scalar(config.riskPenalty) * PolicyTrainer.riskTerm(returns, config) - (returns + 1).log().mean()
        case .sharpe:
            loss = -PolicyTrainer.sharpe(returns)
        }
        if config.anchorPenalty > 0 {
            let pull = zip(network.anchoredParameters, anchor).map { ($0.value - $1).squared().sum() }.reduce(Tensor(0), +)
            loss = loss + Scalar(config.anchorPenalty) * pull
        }
        return loss
    }

    /// Clips `gradients` (the loss's, from `Tensor.gradients()`) to a global norm of at most
    /// `clip` over `network`'s parameters and takes one Adam step with them.
    package static func update<Scalar: TensorScalar>(
        _ network: PolicyNetwork<Scalar>, gradients: consuming Gradients<Scalar>, clip: Double, adam: inout Adam<Scalar>
    ) {
        gradients.clipGlobalNorm(Scalar(clip), of: network.parameters)
        adam.step(network.parameters, gradients: gradients)
    }
}
