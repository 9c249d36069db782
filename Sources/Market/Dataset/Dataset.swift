/// One market in memory: the rows of `prices.csv`, and the funding and exogenous series
/// of `funding.csv` and `features.csv` (contract section 1).
///
/// Shapes: T rows (dates), N assets; `prices` is row-major `[T, N]` with `nan` where an
/// asset is not listed yet (never an invented price). Row-indexed storage is held in
/// array slices starting at 0, so `truncated(throughRow:)` shares it instead of copying
/// (a backtest hands every decision its own truncated view).
package struct Dataset: Sendable {
    /// Row dates, strictly increasing.
    package let dates: ArraySlice<Timestamp>
    /// Asset names in `prices.csv` column order.
    package let assets: [String]
    /// Close prices, `[T, N]` row-major; `nan` before an asset's first price.
    package let prices: ArraySlice<Double>
    /// Each asset's first row with a price.
    package let firstRows: [Int]
    /// Funding of the perp assets, aligned to `dates`.
    package let funding: [FundingSeries]
    /// The exogenous series of `features.csv`, on their own dates.
    package let exogenous: [ExogenousSeries]
    /// `dataset.yaml`'s settings.
    package let config: DatasetConfig
    /// Periods per year: the configured value, else inferred from the dates.
    package let periodsPerYear: Double

    /// The number of rows.
    package var rowCount: Int { dates.count }

    /// The price of asset `asset` at row `row`, or nil when it is not listed yet.
    package func price(row: Int, asset: Int) -> Double? {
        let value = prices[row * assets.count + asset]
        return value.isNaN ? nil : value
    }

    /// The kind of each asset: as configured, else perp when it has a funding column.
    package func kind(of asset: String) -> DatasetConfig.Kind {
        config.kinds[asset] ?? (funding.contains { $0.asset == asset } ? .perp : .spot)
    }
}

/// Per-period funding rates of one perpetual swap (positive: longs pay shorts).
package struct FundingSeries: Sendable, Equatable {
    /// The asset held through the swap.
    package let asset: String
    /// The rate per row of `prices.csv`; 0 where no funding was recorded.
    package let rates: ArraySlice<Double>
    /// Rows with no funding recorded (an empty cell or a date absent from `funding.csv`).
    package let missingRows: Int
}

/// An exogenous series (macro indicator, implied-vol index) on its own observation dates.
package struct ExogenousSeries: Sendable, Equatable {
    /// The column name.
    package let name: String
    /// Observation dates, strictly increasing.
    package let dates: ArraySlice<Timestamp>
    /// The observed values.
    package let values: [Double]
}
