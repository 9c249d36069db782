import Market

/// Funding paid on perpetual swaps held (Appendix A): `F_t = sum_{perp i} w_i * funding_i,t`;
/// a negative rate is received. Assets that are not perps (spot, a dated future) pay none.
package struct PerpetualFunding: HoldingCostTerm {
    /// The market whose funding is charged.
    let market: Dataset
    /// Per asset (dataset order), the rate charged in each return row; nil for an asset that
    /// pays no funding (`Dataset.chargedFunding(of:)`).
    let rates: [ArraySlice<Double>?]

    /// The funding `market` charges.
    package init(_ market: Dataset) {
        self.market = market
        rates = market.assets.map(market.chargedFunding(of:))
    }

    /// The rate a position in `asset` taken at the close of `row` pays over the next period:
    /// 0 for an asset without funding, not listed at `row`, or at the data's last row.
    package func rate(asset: Int, afterDecisionRow row: Int) -> Double {
        guard row + 1 < market.rowCount, market.price(row: row, asset: asset) != nil else { return 0 }
        return rates[asset]?[row + 1] ?? 0
    }

    package func cost(holding weights: [Double], overPeriod row: Int) -> Double {
        var funding = 0.0
        for asset in weights.indices where weights[asset] != 0 {
            if let series = rates[asset] { funding += weights[asset] * series[row] }
        }
        return funding
    }
}
