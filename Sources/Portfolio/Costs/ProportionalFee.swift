/// A fee proportional to the weight traded (Appendix A): `fee * (tau_t + options traded)`.
package struct ProportionalFee: TradingCostTerm, Equatable {
    /// The fee per unit of NAV traded (10 bps is 0.001).
    package let rate: Double

    /// A fee of `basisPoints` per unit traded.
    package init(basisPoints: Double) { rate = basisPoints / 10_000 }

    package func cost(of trade: Trade) -> Double { rate * (trade.turnover + trade.optionsTraded) }
}
