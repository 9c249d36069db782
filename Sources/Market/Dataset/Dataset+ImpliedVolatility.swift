extension Dataset {
    /// The 30-day implied volatility of `asset` known at `row`, as a fraction: the latest
    /// observation of its `implied_vol` column dated on or before the row (as-of, like every
    /// exogenous series), divided by 100; nil without a column or before its first observation.
    package func impliedVolatility(of asset: String, atRow row: Int) -> Double? {
        guard let column = config.impliedVolatility[asset], let series = exogenous.first(where: { $0.name == column }) else {
            return nil
        }
        let known = series.dates.partitioningIndex { $0 > dates[row] }
        guard known > series.dates.startIndex else { return nil }
        let value = series.values[known - 1 - series.dates.startIndex] / 100
        return value > 0 && value.isFinite ? value : nil
    }
}
