import Market

/// One trade at the close of a decision row, as the cost terms see it.
package struct Trade: Sendable {
    /// Per risky asset (dataset order), the weight traded, a fraction of NAV: `|w_new - w_pre|`,
    /// or both legs `|w_pre| + |w_new|` for an asset whose futures contract rolls.
    package let traded: [Double]
    /// The options overlay's premium traded, a fraction of NAV.
    package let optionsTraded: Double
    /// The decision row (the close the trade happens at).
    package let row: Int

    package init(traded: [Double], optionsTraded: Double = 0, row: Int) {
        self.traded = traded
        self.optionsTraded = optionsTraded
        self.row = row
    }

    /// The trade from `pre` to `new` at `row` of `market` (roll legs included), its traded
    /// weights written into `buffer` first (whose storage a simulation reuses from period to
    /// period, so a period allocates nothing for them).
    package init(
        from pre: [Double], to new: [Double], atRow row: Int, in market: Dataset, optionsTraded: Double,
        buffer: inout [Double]
    ) {
        market.tradedWeights(from: pre, to: new, atRow: row, into: &buffer)
        self.init(traded: buffer, optionsTraded: optionsTraded, row: row)
    }

    /// `tau_t`: the risky weight traded, summed in asset order.
    package var turnover: Double { traded.reduce(0, +) }
}
