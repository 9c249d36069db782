import Market
import Portfolio
import Risk

/// A backtest's raw series and the metrics derived from them (cvxportfolio's habit: keep
/// the series, derive every statistic).
package struct BacktestResult: Sendable {
    /// One return period.
    package struct Period: Sendable, Equatable {
        /// The period's date (the row whose close ends it).
        package let date: Timestamp
        /// The net return `W_t / W_{t-1} - 1`.
        package let netReturn: Double
        /// `W_t`.
        package let wealth: Double
        /// The weights held during the period (`w_new`), one per asset; cash is the rest.
        package let weights: [Double]
        /// Traded weight `tau_t`, fee `c_t` and funding `F_t` of the period.
        package let turnover: Double
        package let cost: Double
        package let funding: Double
        /// For assets held through futures or an auto-chosen instrument: the instrument held
        /// during the period (`spot`, `perp`, `future`).
        package var instruments: [String: String] = [:]
        /// For assets held through futures during the period: the contract held.
        package var contracts: [String: String] = [:]
        /// The options overlay's value after the decision that starts the period (fraction
        /// of NAV; it sits in the cash line).
        package var optionsValue = 0.0
    }

    /// The strategy's name.
    package let strategy: String
    /// The asset names, aligned with `Period.weights`.
    package let assets: [String]
    /// The cash line's name.
    package let cash: String
    package let periods: [Period]
    package let periodsPerYear: Double
    /// `sum_t W_{t-1} c_t`.
    package let costsPaid: Double
    /// `sum_t W_{t-1} (1 - c_t) F_t`.
    package let fundingPaid: Double
    /// Warnings the allocator raised (once each).
    package let warnings: [String]
    /// With limits: each limit the file sets and the number of decisions it bound.
    package let limitsBinding: [LimitBinding: Int]?
    /// Per period, the regime label the allocator saw when it decided (nil for allocators
    /// without a regime model).
    package let regimes: [RegimeLabel?]

    /// `sum_t tau_t * P / n`.
    package var turnoverAnnual: Double {
        periods.reduce(0) { $0 + $1.turnover } * periodsPerYear / Double(periods.count)
    }

    /// The metrics of the net returns.
    package var metrics: PerformanceMetrics {
        PerformanceMetrics(returns: periods.map(\.netReturn), periodsPerYear: periodsPerYear)
    }
}
