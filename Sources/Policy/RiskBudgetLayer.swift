import Portfolio
import TensorModule

/// The risk-budgeting layer as a tensor op: budgets `[B, N]` in, long-only risky weights
/// `[B, N]` out, each row's weights over its core's assets with risk contributions in the
/// proportions of its budgets there (`RiskBudgeting`), 0 on the other assets and on a row
/// without a core. Its gradient is `RiskBudgeting.budgetGradient`'s implicit one (budgets
/// off the core get 0): the layer is differentiated by its optimality condition, never
/// through the solver's iterations.
package enum RiskBudgetLayer {
    /// - Parameter cores: one per batch row (nil: that row's weights are all 0).
    /// - Precondition: `budgets` is `[cores.count, N]`, positive on each core's assets.
    package static func weights<Scalar: TensorScalar>(_ budgets: Tensor<Scalar>, cores: [BudgetCore?]) -> Tensor<Scalar> {
        let (b, n) = (budgets.shape[0], budgets.shape[1])
        precondition(cores.count == b, "RiskBudgetLayer: \(cores.count) cores for \(b) rows")
        var output = [Scalar](repeating: 0, count: b * n)
        var solutions: [RiskBudgeting.Solution?] = []
        solutions.reserveCapacity(b)
        for (row, core) in cores.enumerated() {
            guard let core else {
                solutions.append(nil)
                continue
            }
            let given = core.assets.map { max(Double(budgets.scalars[row * n + $0]), .leastNormalMagnitude) }
            let solution = RiskBudgeting.solve(
                covariance: core.covariance, order: core.assets.count, budgets: .given(given), start: core.anchorSolution)
            for (k, asset) in core.assets.enumerated() { output[row * n + asset] = Scalar(solution.weights[k]) }
            solutions.append(solution)
        }
        let assets = cores.map { $0?.assets ?? [] }
        let solved = solutions
        return Tensor.custom("riskBudgeting", shape: [b, n], scalars: output, inputs: [budgets]) { upstream in
            var gradient = [Scalar](repeating: 0, count: b * n)
            for row in 0..<b {
                guard let solution = solved[row] else { continue }
                let local = assets[row].map { Double(upstream.scalars[row * n + $0]) }
                for (k, g) in RiskBudgeting.budgetGradient(solution, upstream: local).enumerated() {
                    gradient[row * n + assets[row][k]] = Scalar(g)
                }
            }
            return [Tensor(shape: [b, n], scalars: gradient)]
        }
    }
}
