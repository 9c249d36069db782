import Layers
import Support
import TensorModule

/// The allocation policy: one small scorer shared by every asset (so one model serves a
/// universe whose assets list and delist), a cash score from the market-wide inputs, and a
/// softmax over the listed assets and cash to long-only weights; unlisted assets get 0.
///
/// Shapes: B batch, N assets; asset inputs `[B, N, S]` (S = scorer inputs, the held weight
/// last), market inputs `[B, C]`, listed mask `[B, N]`; weights `[B, N + 1]`, cash last.
package struct PolicyNetwork<Scalar: TensorScalar>: Sendable {
    package let scorer: MLP<Scalar>
    package let cash: Linear<Scalar>
    package let scorerInputs: Int
    package let cashInputs: Int

    /// - Parameter name: the prefix of the parameters' names (`NAME.scorer.*`, `NAME.cash.*`).
    package init(scorerInputs: Int, cashInputs: Int, hidden: [Int], seed: UInt64, name: String = "policy") {
        var g = SeededGenerator(seed: seed)
        scorer = MLP(
            inputs: scorerInputs, hidden: hidden, outputs: 1, activation: .tanh, name: "\(name).scorer",
            initializer: .xavierUniform(), using: &g)
        cash = Linear(inputs: cashInputs, outputs: 1, name: "\(name).cash", initializer: .xavierUniform(), using: &g)
        self.scorerInputs = scorerInputs
        self.cashInputs = cashInputs
    }

    /// The parameter-name prefix of ensemble member `k` (from 0): `policy` for the first (so
    /// a single-network model keeps its names), then `policy.member2`, `policy.member3`, ...
    /// (members count from 1 in names, logs and checkpoint folders).
    package static func memberName(_ k: Int) -> String {
        k == 0 ? "policy" : "policy.member\(k + 1)"
    }

    /// The output layers' parameters (the scorer's last layer and the cash layer): at zero,
    /// every listed asset and cash get the same logit, i.e. equal weight.
    package var outputParameters: [Parameter<Scalar>] { scorer.layers.last!.parameters + cash.parameters }

    /// Sets the output layers to zero: the policy becomes equal weight over the listed
    /// assets and cash, whatever its inputs.
    package func startAtEqualWeight() {
        for parameter in outputParameters {
            parameter.assign(Tensor(shape: parameter.shape, scalars: Array(repeating: 0, count: parameter.value.scalars.count)))
        }
    }

    /// Every trainable parameter.
    package var parameters: [Parameter<Scalar>] { scorer.parameters + cash.parameters }

    /// Long-only weights `[B, N + 1]` (cash last) summing to 1 per row.
    package func weights(assetInputs: Tensor<Scalar>, marketInputs: Tensor<Scalar>, listed: Tensor<Scalar>) -> Tensor<Scalar> {
        let (b, n) = (assetInputs.shape[0], assetInputs.shape[1])
        let scores = scorer(assetInputs.reshaped([b * n, scorerInputs])).reshaped([b, n])
        // Unlisted assets: a logit of -1e4 gives exp underflow to exactly 0.
        let masked = Tensor.selecting(listed, scores, Tensor(repeating: -1e4, shape: [b, n]))
        let logits = Tensor.concatenated([masked, cash(marketInputs)], alongAxis: 1)
        return logits.softmax(alongAxis: 1)
    }
}
