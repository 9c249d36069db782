import Policy
import TensorModule

/// Runs the policy over windows of rows, feeding each step the weights it holds (drifted
/// from its own previous decision) and its wealth before each trade (1 at each window's first
/// decision, then compounded by each step's `1 + net`), and returns every step's net return
/// `[B, W]`.
package enum PolicyRollout {
    /// - Parameters:
    ///   - starts: the first decision row of each window (B of them).
    ///   - length: W decisions per window; each needs its next row.
    ///   - initialHolding: weights held before the first decision, `[B][N]`.
    package static func netReturns<Scalar: TensorScalar>(
        _ policy: PolicyNetwork<Scalar>, _ inputs: PolicyInputs, starts: [Int], length: Int, costs: DifferentiableCosts,
        initialHolding: [[Scalar]]
    ) -> Tensor<Scalar> {
        let b = starts.count
        let n = inputs.assets
        var held = Tensor<Scalar>(shape: [b, n], scalars: initialHolding.flatMap { $0 })
        var wealth: Tensor<Scalar>?
        var returns: [Tensor<Scalar>] = []
        for k in 0..<length {
            let rows = starts.map { $0 + k }
            let step = policy.decide(inputs, rows: rows, held: held)
            let (net, next) = DifferentiableAccounting.step(
                weights: step, held: held,
                nextReturns: Tensor(shape: [b, n], scalars: rows.flatMap { inputs.nextReturns[$0].map { Scalar($0) } }),
                rolling: inputs.rollsAnyAsset
                    ? Tensor(shape: [b, n], scalars: rows.flatMap { inputs.rolling[$0].map { Scalar($0) } }) : nil,
                wealthBefore: wealth, costs: costs, decisionRows: rows)
            returns.append(net.reshaped([b, 1]))
            held = next
            wealth = wealth.map { $0 * (net + 1) } ?? (net + 1)
        }
        return Tensor.concatenated(returns, alongAxis: 1)
    }
}
