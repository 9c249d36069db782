import Market

/// The market-wide features (`docs/features.md`).
enum MarketFeatures {
    /// `mkt_ret`, `mkt_vol_W`, `dispersion`, `avg_corr_C` columns.
    static func compute(returns: [[Double]], market: [Double], spec: FeatureSpec) -> [[Double]] {
        let rows = 0..<market.count
        let volatility = rows.map { row in
            WindowStatistics.window(market, end: row, count: spec.marketVolatilityWindow).flatMap(WindowStatistics.standardDeviation) ?? .nan
        }
        let dispersion = rows.map { row in
            WindowStatistics.standardDeviation(returns.map { $0[row] }.filter { !$0.isNaN }) ?? .nan
        }
        let averageCorrelation = rows.map { row -> Double in
            let windows = returns.compactMap { WindowStatistics.window($0, end: row, count: spec.correlationWindow) }
                .filter { (WindowStatistics.standardDeviation($0) ?? 0) > 0 }
            guard windows.count >= 2 else { return .nan }
            var total = 0.0, pairs = 0
            for i in 0..<windows.count {
                for j in (i + 1)..<windows.count {
                    let moments = WindowStatistics.moments(windows[i], windows[j])
                    total += moments.covariance / (moments.varianceX * moments.varianceY).squareRoot()
                    pairs += 1
                }
            }
            return total / Double(pairs)
        }
        return [market, volatility, dispersion, averageCorrelation]
    }

    /// The as-of join of an exogenous series onto row dates: its latest value dated on or
    /// before each row, and that value's age in days.
    static func asOf(_ series: ExogenousSeries, dates: [Timestamp]) -> [[Double]] {
        var values: [Double] = [], ages: [Double] = []
        var next = 0
        for date in dates {
            while next < series.dates.count && series.dates[next] <= date { next += 1 }
            if next == 0 {
                values.append(.nan)
                ages.append(.nan)
            } else {
                values.append(series.values[next - 1])
                ages.append(Double(date.dayNumber - series.dates[next - 1].dayNumber))
            }
        }
        return [values, ages]
    }
}
