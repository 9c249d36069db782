import Foundation
import Market
import Portfolio
import Risk

/// The contract's backtest file (`regimen.backtest/v1`, contract section 3). Ratios with a
/// zero denominator are JSON null.
package struct BacktestFile: Encodable, Sendable {
    /// One return period; `weights` holds the non-zero risky weights and the cash line.
    package struct Row: Encodable, Sendable {
        package let date: String
        package let netReturn: Double
        package let wealth: Double
        let weights: [String: Double]
        /// The instrument held per asset held through futures or an auto choice (contract
        /// section 7); absent when no asset is.
        let instruments: [String: String]?
        /// The futures contract held per asset held through one; absent when none is.
        let contracts: [String: String]?

        enum CodingKeys: String, CodingKey {
            case date, wealth, weights, instruments, contracts
            case netReturn = "return"
        }
    }

    let strategy: String
    package let start: String
    package let end: String
    let periodsPerYear: Double
    let rebalance: String
    let feeBps: Double
    /// The starting capital in USD market impact was charged at (`--aum`); absent without it.
    package var assetsUnderManagement: Double?
    package let metrics: PerformanceMetrics
    package let turnoverAnnual: Double
    package let costsPaid: Double
    package let fundingPaid: Double
    package private(set) var series: [Row]
    var includesSeries = true
    let warnings: [String]
    /// With limits: how many traded decisions each limit bound.
    package let limitsBinding: [String: Int]?
    /// Whether a model was evaluated on dates it was fitted on (`--allow-in-sample`).
    package var inSample = false
    /// For a market holding assets through futures or an auto-chosen instrument: the same
    /// strategy's final wealth with those assets held spot, and the log of the ratio (what
    /// holding through derivatives earned).
    package var spotOnly: SpotComparison?

    /// What holding through derivatives earned against holding the same assets spot.
    package struct SpotComparison: Encodable, Sendable {
        /// The final wealth held spot.
        package let finalWealth: Double
        /// `ln(W / W_spot)`; nil when either wealth is not positive.
        package let logGain: Double?

        package init(finalWealth: Double, against wealth: Double) {
            self.finalWealth = finalWealth
            logGain = wealth > 0 && finalWealth > 0 ? Foundation.log(wealth / finalWealth) : nil
        }

        enum CodingKeys: String, CodingKey {
            case finalWealth = "final_wealth"
            case logGain = "log_gain"
        }
    }

    /// The file of a result.
    package init(_ result: BacktestResult, rebalance: RebalanceSchedule, feeBasisPoints: Double) {
        strategy = result.strategy
        start = result.periods.first!.date.description
        end = result.periods.last!.date.description
        periodsPerYear = result.periodsPerYear
        self.rebalance = rebalance.description
        feeBps = feeBasisPoints
        metrics = result.metrics
        turnoverAnnual = result.turnoverAnnual
        costsPaid = result.costsPaid
        fundingPaid = result.fundingPaid
        series = result.periods.map { period in
            var weights: [String: Double] = [:]
            for (asset, weight) in period.weights.enumerated() where weight != 0 { weights[result.assets[asset]] = weight }
            weights[result.cash] = 1 - period.weights.reduce(0, +)
            return Row(
                date: period.date.description, netReturn: period.netReturn, wealth: period.wealth, weights: weights,
                instruments: period.instruments.isEmpty ? nil : period.instruments,
                contracts: period.contracts.isEmpty ? nil : period.contracts)
        }
        warnings = result.warnings
        limitsBinding = result.limitsBinding.map { counts in
            Dictionary(uniqueKeysWithValues: counts.map { ($0.key.description, $0.value) })
        }
    }

    /// The same file without its series (the metrics alone, for reports).
    package func withoutSeries() -> BacktestFile {
        var copy = self
        copy.series = []
        copy.includesSeries = false
        return copy
    }

    enum CodingKeys: String, CodingKey {
        case schema, strategy, start, end, rebalance, series, warnings
        case periodsPerYear = "periods_per_year"
        case feeBps = "fee_bps"
        case assetsUnderManagement = "aum"
        case finalWealth = "final_wealth"
        case cagr
        case volAnnual = "vol_annual"
        case sharpe, sortino
        case maxDrawdown = "max_drawdown"
        case calmar
        case turnoverAnnual = "turnover_annual"
        case costsPaid = "costs_paid"
        case fundingPaid = "funding_paid"
        case valueAtRisk = "var"
        case expectedShortfall = "es"
        case limitsBinding = "limits_binding"
        case inSample = "in_sample"
        case spotOnly = "spot_only"
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode("regimen.backtest/v1", forKey: .schema)
        try c.encode(strategy, forKey: .strategy)
        try c.encode(start, forKey: .start)
        try c.encode(end, forKey: .end)
        try c.encode(periodsPerYear, forKey: .periodsPerYear)
        try c.encode(rebalance, forKey: .rebalance)
        try c.encode(feeBps, forKey: .feeBps)
        try c.encodeIfPresent(assetsUnderManagement, forKey: .assetsUnderManagement)
        try c.encode(metrics.finalWealth, forKey: .finalWealth)
        try c.encode(metrics.cagr, forKey: .cagr)
        try c.encode(metrics.volAnnual, forKey: .volAnnual)
        try c.encode(metrics.sharpe, forKey: .sharpe)
        try c.encode(metrics.sortino, forKey: .sortino)
        try c.encode(metrics.maxDrawdown, forKey: .maxDrawdown)
        try c.encode(metrics.calmar, forKey: .calmar)
        try c.encode(turnoverAnnual, forKey: .turnoverAnnual)
        try c.encode(costsPaid, forKey: .costsPaid)
        try c.encode(fundingPaid, forKey: .fundingPaid)
        try c.encode(metrics.valueAtRisk, forKey: .valueAtRisk)
        try c.encode(metrics.expectedShortfall, forKey: .expectedShortfall)
        if includesSeries { try c.encode(series, forKey: .series) }
        try c.encode(warnings, forKey: .warnings)
        try c.encodeIfPresent(limitsBinding, forKey: .limitsBinding)
        if inSample { try c.encode(true, forKey: .inSample) }
        try c.encodeIfPresent(spotOnly, forKey: .spotOnly)
    }
}
