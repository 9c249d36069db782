import TensorModule

/// The contract's accounting (Appendix A) as tensor ops, so a training loss can be
/// differentiated through costs, funding and drift. One step from the held weights and the
/// new weights gives the period's net return and the drifted weights held at its end; it
/// equals `Backtest.Simulator` on the same weights and the same `CostModel` (a test checks it).
///
/// Shapes: B batch, N assets; `weights` `[B, N + 1]` (cash last), `held`, `nextReturns`,
/// `rolling` `[B, N]`.
package enum DifferentiableAccounting {
    /// `W_t / W_{t-1} - 1 = (1 - c_t)(1 + w.r - F_t) - 1`, with `c_t` and `F_t` the cost
    /// model's trading and holding terms of the trade `|w - held|` (both legs `|w| + |held|`
    /// where `rolling` is 1: a futures roll), and the drifted weights `w (1 + r) / (1 + w.r)`.
    /// - Parameter decisionRows: the row each batch row decides at (B of them), for terms
    ///   that vary by date.
    package static func step<Scalar: TensorScalar>(
        weights: Tensor<Scalar>, held: Tensor<Scalar>, nextReturns: Tensor<Scalar>, rolling: Tensor<Scalar>? = nil,
        costs: DifferentiableCosts, decisionRows: [Int]
    ) -> (netReturn: Tensor<Scalar>, nextHeld: Tensor<Scalar>) {
        let n = held.shape[1]
        let risky = weights.sliced(alongAxis: 1, 0..<n)
        let difference = (risky - held).abs()
        let traded = rolling.map { difference + $0 * (risky.abs() + held.abs() - difference) } ?? difference
        let turnover = traded.sum(alongAxis: 1)
        let gross = (risky * nextReturns).sum(alongAxis: 1)
        let cost = costs.tradingCost(traded: traded, turnover: turnover, decisionRows: decisionRows)
        let funding = costs.holdingCost(holding: risky, decisionRows: decisionRows)
        let growth = (1 - cost) * (gross - funding + 1)
        let grossKept = gross.reshaped([held.shape[0], 1]) + 1
        let drifted = risky * (nextReturns + 1) / grossKept
        return (growth - 1, drifted)
    }
}
