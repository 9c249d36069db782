import Market

/// One trade at the close of a decision row, as the cost terms see it.
package struct Trade: Sendable {
    /// Per risky asset (dataset order), the weight traded, a fraction of NAV: `|w_new - w_pre|`,
    /// or both legs `|w_pre| + |w_new|` for an asset whose futures contract rolls.
    package let traded: [Double]
    /// Per risky asset, whether the trade rolls it (sells what was held, buys a new contract or
    /// instrument); empty when nothing rolls.
    package let rolling: [Bool]
    /// The risky weights held before the trade (drifted) and after it; empty when the trade
    /// was built from traded weights alone.
    package let pre: [Double]
    package let new: [Double]
    /// The options overlay's premium traded, a fraction of NAV.
    package let optionsTraded: Double
    /// The decision row (the close the trade happens at).
    package let row: Int
    /// `W_{t-1}`: the book's wealth before the trade, relative to its starting capital.
    package let wealthBefore: Double

    /// A trade from its traded weights alone (no roll legs, at the starting wealth).
    package init(traded: [Double], optionsTraded: Double = 0, row: Int, wealthBefore: Double = 1) {
        self.traded = traded
        rolling = []
        pre = []
        new = []
        self.optionsTraded = optionsTraded
        self.row = row
        self.wealthBefore = wealthBefore
    }

    /// The trade from `pre` to `new` at `row` of `market` (roll legs included) at wealth
    /// `wealthBefore`, its traded weights written into `buffer` first (whose storage a
    /// simulation reuses from period to period).
    package init(
        from pre: [Double], to new: [Double], atRow row: Int, in market: Dataset, optionsTraded: Double,
        wealthBefore: Double = 1, buffer: inout [Double]
    ) {
        market.tradedWeights(from: pre, to: new, atRow: row, into: &buffer)
        traded = buffer
        rolling = market.futures.isEmpty && market.instruments.isEmpty ? [] : market.rolls(atRow: row)
        self.pre = pre
        self.new = new
        self.optionsTraded = optionsTraded
        self.row = row
        self.wealthBefore = wealthBefore
    }

    /// `tau_t`: the risky weight traded, summed in asset order.
    package var turnover: Double { traded.reduce(0, +) }

    /// The legs asset `asset` trades, each a fraction of NAV: `|w_pre|` sold and `|w_new|`
    /// bought when it rolls, else the one leg `|w_new - w_pre|` (and 0).
    package func legs(of asset: Int) -> (Double, Double) {
        guard rolling.indices.contains(asset), rolling[asset] else { return (traded[asset], 0) }
        return (Swift.abs(pre[asset]), Swift.abs(new[asset]))
    }
}
