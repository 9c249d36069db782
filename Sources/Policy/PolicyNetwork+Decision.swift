import TensorModule

extension PolicyNetwork {
    /// The policy's weights `[B, N + 1]` at `rows` given the held weights `[B, N]`.
    // Specialised for Float (training's type): unspecialised, the Float-to-Scalar copies below
    // went through generic witnesses and metadata look-ups, a fifth of a training run.
    @_specialize(where Scalar == Float)
    package func decide(_ inputs: PolicyInputs, rows: [Int], held: Tensor<Scalar>) -> Tensor<Scalar> {
        let b = rows.count
        let n = inputs.assets
        let fa = inputs.assetFeatureCount
        let c = inputs.cashInputs
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
        if budget != nil {
            return budgetWeights(
                assetInputs: assetInputs, cores: rows.map { inputs.cores[$0] }, exposures: rows.map { inputs.exposures[$0] })
        }
        return weights(
            assetInputs: assetInputs,
            marketInputs: Tensor(shape: [b, c], scalars: rows.flatMap { inputs.marketFeatures[$0].map { Scalar($0) } }),
            listed: Tensor(shape: [b, n], scalars: rows.flatMap { inputs.listed[$0].map { Scalar($0) } }),
            sleevePortfolios: sleeves == 0
                ? nil
                : Tensor(shape: [b, sleeves, n + 1], scalars: rows.flatMap { inputs.sleeveWeights[$0].map { Scalar($0) } }))
    }
}
