import TensorModule

/// The contract's accounting (Appendix A) as tensor ops, so a training loss can be
/// differentiated through costs, funding and drift. One step from the held weights and the
/// new weights gives the period's net return and the drifted weights held at its end; it
/// equals `Backtest.Simulator` on the same weights and the same `CostModel` (a test checks it).
///
/// Shapes: B batch, N assets; `weights` `[B, N + 1]` (cash last), `held`, `nextReturns`,
/// `rolling` `[B, N]`, `wealthBefore` `[B]`.
package enum DifferentiableAccounting {
    /// `W_t / W_{t-1} - 1 = (1 - c_t)(1 + w.r - F_t) - 1`, with `c_t` and `F_t` the cost
    /// model's trading and holding terms of the trade `|w - held|` (both legs `|w| + |held|`
    /// where `rolling` is 1: a futures roll), and the drifted weights `w (1 + r) / (1 + w.r)`.
    /// - Parameters:
    ///   - wealthBefore: `W_{t-1}`, the wealth before the trade relative to the start (market
    ///     impact grows with it); nil for 1, the first decision.
    ///   - decisionRows: the row each batch row decides at (B of them), for terms that vary by
    ///     date.
    package static func step<Scalar: TensorScalar>(
        weights: Tensor<Scalar>, held: Tensor<Scalar>, nextReturns: Tensor<Scalar>, rolling: Tensor<Scalar>? = nil,
        wealthBefore: Tensor<Scalar>? = nil, costs: DifferentiableCosts, decisionRows: [Int]
    ) -> (netReturn: Tensor<Scalar>, nextHeld: Tensor<Scalar>) {
        let n = held.shape[1]
        let risky = weights.sliced(alongAxis: 1, 0..<n)
        let trade = BatchTrade(
            new: risky, held: held, rolling: rolling, wealthBefore: wealthBefore, decisionRows: decisionRows)
        let gross = (risky * nextReturns).sum(alongAxis: 1)
        let cost = costs.tradingCost(of: trade)
        let funding = costs.holdingCost(holding: risky, decisionRows: decisionRows)
        let growth = (1 - cost) * (gross - funding + 1)
        let grossKept = gross.reshaped([held.shape[0], 1]) + 1
        let drifted = risky * (nextReturns + 1) / grossKept
        return (growth - 1, drifted)
    }
}

/// A batch of trades as the differentiable trading terms see them: the tensor form of
/// `Trade` (shapes as in `DifferentiableAccounting`).
struct BatchTrade<Scalar: TensorScalar> {
    /// The risky weights after the trade and the drifted ones before it.
    let new: Tensor<Scalar>
    let held: Tensor<Scalar>
    /// 1 where the asset rolls, else 0; nil when nothing can roll.
    let rolling: Tensor<Scalar>?
    /// `|new - held|` per asset.
    let difference: Tensor<Scalar>
    /// The weight traded per asset: `difference`, or both legs `|new| + |held|` where rolling.
    let traded: Tensor<Scalar>
    /// `tau` per batch row: `traded` summed.
    let turnover: Tensor<Scalar>
    /// `W_{t-1}` per batch row; nil for 1.
    let wealthBefore: Tensor<Scalar>?
    /// The row each batch row decides at.
    let decisionRows: [Int]

    /// The trade from `held` to `new`.
    init(
        new: Tensor<Scalar>, held: Tensor<Scalar>, rolling: Tensor<Scalar>?, wealthBefore: Tensor<Scalar>?,
        decisionRows: [Int]
    ) {
        self.new = new
        self.held = held
        self.rolling = rolling
        self.wealthBefore = wealthBefore
        self.decisionRows = decisionRows
        let difference = (new - held).abs()
        let traded = rolling.map { difference + $0 * (new.abs() + held.abs() - difference) } ?? difference
        self.difference = difference
        self.traded = traded
        turnover = traded.sum(alongAxis: 1)
    }

    /// The legs each asset trades (`Trade.legs(of:)`): `|new - held|` and no second, or where
    /// rolling `|held|` sold and `|new|` bought (`rolling` is 0 or 1, so each leg is exact).
    func legs() -> (Tensor<Scalar>, Tensor<Scalar>?) {
        guard let rolling else { return (difference, nil) }
        return (difference * (1 - rolling) + held.abs() * rolling, new.abs() * rolling)
    }
}
