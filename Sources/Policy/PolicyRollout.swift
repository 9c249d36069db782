import TensorModule

/// Runs the policy over windows of rows, feeding each step the weights it holds (drifted
/// from its own previous decision), and returns every step's net return `[B, W]`.
package enum PolicyRollout {
    /// - Parameters:
    ///   - starts: the first decision row of each window (B of them).
    ///   - length: W decisions per window; each needs its next row.
    ///   - initialHolding: weights held before the first decision, `[B][N]`.
    package static func netReturns<Scalar: TensorScalar>(
        _ policy: PolicyNetwork<Scalar>, _ inputs: PolicyInputs, starts: [Int], length: Int, fee: Scalar, initialHolding: [[Scalar]]
    ) -> Tensor<Scalar> {
        let b = starts.count, n = inputs.assets
        var held = Tensor<Scalar>(shape: [b, n], scalars: initialHolding.flatMap { $0 })
        var returns: [Tensor<Scalar>] = []
        for k in 0..<length {
            let rows = starts.map { $0 + k }
            let step = decide(policy, inputs, rows: rows, held: held)
            let (net, next) = DifferentiableAccounting.step(
                weights: step, held: held,
                nextReturns: Tensor(shape: [b, n], scalars: rows.flatMap { inputs.nextReturns[$0].map { Scalar($0) } }),
                nextFunding: Tensor(shape: [b, n], scalars: rows.flatMap { inputs.nextFunding[$0].map { Scalar($0) } }), fee: fee)
            returns.append(net.reshaped([b, 1]))
            held = next
        }
        return Tensor.concatenated(returns, alongAxis: 1)
    }

    /// The policy's weights `[B, N + 1]` at `rows` given the held weights `[B, N]`.
    package static func decide<Scalar: TensorScalar>(
        _ policy: PolicyNetwork<Scalar>, _ inputs: PolicyInputs, rows: [Int], held: Tensor<Scalar>
    ) -> Tensor<Scalar> {
        let b = rows.count, n = inputs.assets, fa = inputs.assetFeatureCount, c = inputs.cashInputs
        var constant = [Scalar]()
        constant.reserveCapacity(b * n * (fa + c))
        for row in rows {
            let market = inputs.marketFeatures[row]
            for asset in 0..<n {
                constant.append(contentsOf: inputs.assetFeatures[row][(asset * fa)..<((asset + 1) * fa)].map { Scalar($0) })
                constant.append(contentsOf: market.map { Scalar($0) })
            }
        }
        let assetInputs = Tensor.concatenated(
            [Tensor(shape: [b, n, fa + c], scalars: constant), held.reshaped([b, n, 1])], alongAxis: 2)
        return policy.weights(
            assetInputs: assetInputs, marketInputs: Tensor(shape: [b, c], scalars: rows.flatMap { inputs.marketFeatures[$0].map { Scalar($0) } }),
            listed: Tensor(shape: [b, n], scalars: rows.flatMap { inputs.listed[$0].map { Scalar($0) } }))
    }
}
