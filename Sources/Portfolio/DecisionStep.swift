import Market
import Options

/// The one decision step of production and backtest (cvxportfolio's `Policy.execute(h, market,
/// t)`): at the close of a row, from the book held before the trade and the allocator's
/// proposal, it returns the weights to hold under the limits and the options overlay's trade.
///
/// `Simulator.run` (every backtest, baselines included) and `DailyInference.run` (the daily
/// job) both decide through `execute`, so the two enforce the same limits on the same inputs
/// by construction rather than by a parity test; no other code calls `LimitEnforcer.apply`,
/// `HardConstraints.forDecision` or `RiskLimits.overlayCaps` (a test reads the sources).
///
/// The step is a value: the limits and the risk window. Its inputs at a decision are the
/// market as known at the decision row (a `MarketView`, so it cannot look ahead), the regime
/// the allocator saw, and the held weights drifted to the row (`WeightDrift`).
package struct DecisionStep: Sendable {
    /// The limits file; nil runs no limits at all (a backtest without `--limits`).
    package let limits: RiskLimits?
    /// Returns in the window the volatility and expected-shortfall caps are measured on.
    package let window: Int

    package init(limits: RiskLimits?, window: Int) {
        self.limits = limits
        self.window = window
    }

    /// What one decision comes to.
    package struct Decision: Sendable {
        /// Weights held after the decision (risky assets, dataset order; cash is the rest).
        package let weights: [Double]
        /// The limits the weights met with (empty without a trade or without limits).
        package let binding: [LimitBinding]
        /// Soft limits given up to meet the hard ones (`max_turnover`).
        package let relaxed: [LimitBinding]
        /// The hard constraints the weights were held to (nil without a trade or limits).
        package let constraints: HardConstraints?
        /// The volatility and expected shortfall measured on the risk window, when a cap
        /// asked for them.
        package let measured: (volAnnual: Double, expectedShortfall: Double)?
        /// The overlay's trade on the same row's marks (nil without an overlay, or when it
        /// cannot be priced that day).
        package let overlay: OverlayDecision.Outcome?
    }

    /// Decides at the close of `view`'s row.
    /// - Parameters:
    ///   - proposal: the allocator's weights to trade to, or nil on a day the schedule does
    ///     not trade (the drifted book is kept; only the overlay decides).
    ///   - holding: the weights held before the trade, drifted to the decision row.
    ///   - view: the data as known at the close of the decision row.
    ///   - regime: the regime label the allocator saw (for the regime caps).
    ///   - overlay: the options overlay account, which decides after the weights.
    package func execute(
        _ proposal: [Double]?, holding: [Double], view: MarketView, regime: RegimeLabel?, overlay: inout OverlayAccount?
    ) -> Decision {
        let market = view.history
        let row = view.row
        var weights = proposal ?? holding
        var binding: [LimitBinding] = []
        var relaxed: [LimitBinding] = []
        var constraints: HardConstraints?
        var measured: (volAnnual: Double, expectedShortfall: Double)?
        if let proposal, let limits {
            let hard = HardConstraints.forDecision(limits: limits, market: market, row: row, regime: regime, window: window)
            let limited = LimitEnforcer.apply(
                proposal, constraints: hard, maxTurnover: limits.maxTurnover,
                previous: holding.contains { $0 != 0 } ? holding : nil)
            weights = limited.weights
            binding = limited.binding
            relaxed = limited.relaxed
            constraints = hard
            measured = limited.measured
        }
        var outcome: OverlayDecision.Outcome?
        if overlay != nil {
            var caps = limits?.overlayCaps(regime: regime) ?? OverlayCaps()
            // Under limits the options are paid from the cash above its floor, never below it.
            if let limits { caps.value = 1 - weights.reduce(0, +) - (limits.minCash ?? 0) }
            outcome = overlay?.decide(market, row: row, weights: weights, caps: caps)
        }
        return Decision(
            weights: weights, binding: binding, relaxed: relaxed, constraints: constraints, measured: measured, overlay: outcome)
    }
}
