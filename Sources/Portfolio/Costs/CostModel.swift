import Market

/// A cost charged when the book trades, as a fraction of wealth before the trade (Appendix A's
/// `c_t` is the sum of the model's trading terms).
package protocol TradingCostTerm: Sendable {
    /// The cost of `trade`, a fraction of NAV before it.
    /// - Throws: `TradingCostFailure` when the data lack what the term needs for this trade.
    func cost(of trade: Trade) throws(TradingCostFailure) -> Double
}

/// A cost charged on the positions held over a period, as a fraction of wealth after the
/// trade (Appendix A's `F_t` is the sum of the model's holding terms).
package protocol HoldingCostTerm: Sendable {
    /// The cost of holding `weights` (risky assets, dataset order) over the period ending at
    /// return row `row`.
    func cost(holding weights: [Double], overPeriod row: Int) -> Double
}

/// The cost model shared by every accounting (cvxportfolio's `costs.py`): the simulator
/// charges it, the training's differentiable accounting differentiates the same terms
/// (`DifferentiableCosts`), and a new cost (market impact) is one more term.
///
/// A period's wealth is `W_t = W_{t-1} (1 - c_t) (1 + sum_i w_i r_i - F_t)`, with `c_t` the
/// sum of the trading terms and `F_t` the sum of the holding terms.
package struct CostModel: Sendable {
    /// Charged at the trade.
    package var trading: [any TradingCostTerm]
    /// Charged on what is held over the period.
    package var holding: [any HoldingCostTerm]

    package init(trading: [any TradingCostTerm], holding: [any HoldingCostTerm]) {
        self.trading = trading
        self.holding = holding
    }

    /// The contract's costs on `market` (Appendix A): a proportional fee on traded weight
    /// (both legs of a futures roll, and the overlay's premium traded), funding on the
    /// perpetual swaps held, and with `assetsUnderManagement` (USD) market impact (section 11).
    package static func standard(_ market: Dataset, feeBasisPoints: Double, assetsUnderManagement: Double? = nil)
        -> CostModel
    {
        var trading: [any TradingCostTerm] = [ProportionalFee(basisPoints: feeBasisPoints)]
        if let assetsUnderManagement {
            trading.append(MarketImpact(market, assetsUnderManagement: assetsUnderManagement))
        }
        return CostModel(trading: trading, holding: [PerpetualFunding(market)])
    }

    /// `c_t`: the sum of the trading terms for `trade`.
    /// - Throws: `TradingCostFailure` when a term lacks data for the trade.
    package func tradingCost(of trade: Trade) throws(TradingCostFailure) -> Double {
        guard var total = try trading.first?.cost(of: trade) else { return 0 }
        for term in trading.dropFirst() { total += try term.cost(of: trade) }
        return total
    }

    /// `F_t`: the sum of the holding terms for `weights` held over return row `row`.
    package func holdingCost(holding weights: [Double], overPeriod row: Int) -> Double {
        guard var total = holding.first?.cost(holding: weights, overPeriod: row) else { return 0 }
        for term in holding.dropFirst() { total += term.cost(holding: weights, overPeriod: row) }
        return total
    }
}
