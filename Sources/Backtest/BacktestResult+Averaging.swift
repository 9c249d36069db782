import Portfolio

extension BacktestResult {
    /// The mean path of backtests of one strategy over the same periods (the offsets of a
    /// periodic schedule): the path of capital split equally among them and re-split at every
    /// close. Per period the net return, weights, turnover, cost, funding and options value are
    /// the runs' means; wealth compounds the mean return from 1, and the costs and funding
    /// paid follow their definitions on that wealth (`sum_t W_{t-1} c_t`,
    /// `sum_t W_{t-1} (1 - c_t) F_t`). A limit's count is the runs' mean rounded up, so a limit
    /// that bound on any run shows. Instruments, contracts and regimes are the first run's
    /// (the data choose them, not the schedule); warnings are every run's, once each.
    /// - Precondition: at least one run, all over the same dates and assets.
    package static func mean(of runs: [BacktestResult]) -> BacktestResult {
        precondition(!runs.isEmpty, "BacktestResult.mean needs a run")
        let first = runs[0]
        precondition(
            runs.allSatisfy { $0.periods.map(\.date) == first.periods.map(\.date) && $0.assets == first.assets },
            "BacktestResult.mean: the runs must share their dates and assets")
        guard runs.count > 1 else { return first }
        var wealth = 1.0
        var costsPaid = 0.0
        var fundingPaid = 0.0
        let periods = first.periods.indices.map { t in
            let mean = meanPeriod(runs.map { $0.periods[t] }, startingFrom: wealth)
            costsPaid += wealth * mean.cost
            fundingPaid += wealth * (1 - mean.cost) * mean.funding
            wealth = mean.wealth
            return mean
        }
        return BacktestResult(
            strategy: first.strategy, assets: first.assets, cash: first.cash, periods: periods,
            periodsPerYear: first.periodsPerYear, costsPaid: costsPaid, fundingPaid: fundingPaid,
            warnings: runs.flatMap(\.warnings).reduce(into: []) { if !$0.contains($1) { $0.append($1) } },
            limitsBinding: meanBindings(runs.map(\.limitsBinding)), regimes: first.regimes)
    }

    /// One period's mean over the runs, with wealth compounded from `previousWealth`.
    private static func meanPeriod(_ periods: [Period], startingFrom previousWealth: Double) -> Period {
        let count = Double(periods.count)
        let average = { (value: (Period) -> Double) in periods.reduce(0) { $0 + value($1) } / count }
        let netReturn = average(\.netReturn)
        let weights = periods[0].weights.indices.map { i in average { $0.weights[i] } }
        var period = Period(
            date: periods[0].date, netReturn: netReturn, wealth: previousWealth * (1 + netReturn), weights: weights,
            turnover: average(\.turnover), cost: average(\.cost), funding: average(\.funding))
        period.instruments = periods[0].instruments
        period.contracts = periods[0].contracts
        period.optionsValue = average(\.optionsValue)
        return period
    }

    /// Each limit's mean count over the runs, rounded up (nil when the runs had no limits).
    private static func meanBindings(_ counts: [[LimitBinding: Int]?]) -> [LimitBinding: Int]? {
        let present = counts.compactMap { $0 }
        guard !present.isEmpty else { return nil }
        let total = present.reduce(into: [LimitBinding: Int]()) { sum, run in
            for (binding, count) in run { sum[binding, default: 0] += count }
        }
        return total.mapValues { ($0 + counts.count - 1) / counts.count }
    }
}
