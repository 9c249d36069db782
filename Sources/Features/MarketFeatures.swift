import Market
import Support

/// The market-wide features (`docs/features.md`).
enum MarketFeatures {
    /// `mkt_ret`, `mkt_vol_W`, `dispersion`, `avg_corr_C` columns.
    static func compute(returns: [[Double]], market: [Double], spec: FeatureSpec) -> [[Double]] {
        let rows = 0..<market.count
        let volatility = rows.map { row in
            WindowStatistics.window(market, end: row, count: spec.marketVolatilityWindow).map(
                Statistics.standardDeviation) ?? .nan
        }
        let dispersion = rows.map { row in
            Statistics.standardDeviation(returns.map { $0[row] }.filter { !$0.isNaN })
        }
        let averageCorrelation = rows.map { row -> Double in
            averagePairwiseCorrelation(returns, endingAt: row, window: spec.correlationWindow)
        }
        return [market, volatility, dispersion, averageCorrelation]
    }

    /// The mean pairwise Pearson correlation over the window ending at `row`, among assets
    /// with a complete window and non-zero variance: each window is centred and scaled once
    /// (unit norm), so a pair's correlation is one dot product.
    static func averagePairwiseCorrelation(_ returns: [[Double]], endingAt row: Int, window: Int) -> Double {
        var normalised: [[Double]] = []
        for series in returns {
            guard let values = WindowStatistics.window(series, end: row, count: window) else { continue }
            let mean = Statistics.mean(values)
            let centred = values.map { $0 - mean }
            let norm = centred.reduce(0) { $0 + $1 * $1 }.squareRoot()
            guard norm > 0 else { continue }
            normalised.append(centred.map { $0 / norm })
        }
        guard normalised.count >= 2 else { return .nan }
        var total = 0.0
        var pairs = 0
        for i in 0..<normalised.count {
            for j in (i + 1)..<normalised.count {
                var dot = 0.0
                for k in 0..<window { dot += normalised[i][k] * normalised[j][k] }
                total += dot
                pairs += 1
            }
        }
        return total / Double(pairs)
    }

    /// The as-of join of an exogenous series onto row dates: its latest value dated on or
    /// before each row, and that value's age in days.
    static func asOf(_ series: ExogenousSeries, dates: [Timestamp]) -> [[Double]] {
        var values: [Double] = []
        var ages: [Double] = []
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
