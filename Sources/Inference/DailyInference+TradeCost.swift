import Foundation
import Market
import Portfolio

/// What today's trade costs at a given size (`regimen-infer --explain --aum USD`): the
/// dataset's fee on the weight traded and the market impact of contract section 11, through
/// the cost terms every backtest charges, at the close of the decision row (`W_{t-1}` is 1:
/// the assets under management are today's NAV).
package struct TradeCostEstimate: Sendable {
    /// The book's NAV in USD.
    package let assetsUnderManagement: Double
    /// `tau`: the risky weight traded (both legs of a roll).
    package let turnover: Double
    /// The fee, a fraction of NAV.
    package let fee: Double
    /// The market impact, a fraction of NAV, or nil when the data cannot measure it.
    package let impact: Double?
    /// Why the impact cannot be measured (no volume for a traded asset).
    package let impactProblem: String?
    /// The asset paying the most impact, with its share of NAV.
    package let largest: (asset: String, impact: Double)?

    /// The estimate for moving the risky weights from `holding` to `weights` at `row` of
    /// `market` (the market as known through `row`).
    init(from holding: [Double], to weights: [Double], market: Dataset, row: Int, assetsUnderManagement: Double) {
        var buffer: [Double] = []
        let trade = Trade(from: holding, to: weights, atRow: row, in: market, optionsTraded: 0, buffer: &buffer)
        self.assetsUnderManagement = assetsUnderManagement
        turnover = trade.turnover
        fee = ProportionalFee(basisPoints: market.config.feeBasisPoints ?? 0).cost(of: trade)
        let term = MarketImpact(market, assetsUnderManagement: assetsUnderManagement)
        do throws(TradingCostFailure) {
            impact = try term.cost(of: trade)
            impactProblem = nil
            largest = market.assets.indices.map { asset in
                (market.assets[asset], (try? term.cost(of: trade, asset: asset)) ?? 0)
            }.max { $0.1 < $1.1 }
        } catch {
            impact = nil
            impactProblem = error.description
            largest = nil
        }
    }

    /// The line `--explain` prints.
    var explanation: String {
        var line = "  today's trade at " + String(format: "%.0f", assetsUnderManagement) + " USD: turnover "
        line += percent(turnover) + ", fee " + percent(fee)
        if let impact {
            line += ", market impact " + percent(impact) + " of NAV"
            if let largest, largest.impact > 0 { line += " (most: \(largest.asset) " + percent(largest.impact) + ")" }
        } else if let impactProblem {
            line += "; market impact not measurable: " + impactProblem
        }
        return line
    }

    private func percent(_ value: Double) -> String { String(format: "%.3f%%", value * 100) }
}
