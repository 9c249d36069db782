/// One market in memory: the rows of `prices.csv`, and the funding, exogenous and dated
/// futures series of `funding.csv`, `features.csv` and `futures.csv` (contract section 1).
///
/// Shapes: T rows (dates), N assets; `prices` is row-major `[T, N]` with `nan` where an
/// asset is not listed yet (never an invented price). `prices` is the value of what is held:
/// the close of `prices.csv` for a spot or perp asset, and for an asset of kind `future` the
/// value of one unit held through its rolled front contract (`FuturesChain.heldValues`), so
/// that every return read from it is the instrument's return. Row-indexed storage is held in
/// array slices starting at 0, so `truncated(throughRow:)` shares it instead of copying
/// (a backtest hands every decision its own truncated view).
package struct Dataset: Sendable {
    /// Row dates, strictly increasing.
    package let dates: ArraySlice<Timestamp>
    /// Asset names in `prices.csv` column order.
    package let assets: [String]
    /// The value of each asset's instrument, `[T, N]` row-major; `nan` before it lists.
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
    /// The dated futures of `futures.csv`, one chain per underlying that has contracts.
    package internal(set) var futures: [FuturesChain] = []
    /// The instrument held from a decision at each row, for the assets whose instrument
    /// `instrument: auto` chooses (nil before the asset lists).
    package internal(set) var instruments: [String: ArraySlice<Instrument?>] = [:]
    /// The closes of `prices.csv` of the assets of kind `future` (whose `prices` column holds
    /// the rolled contract's value), keyed by asset, aligned to `dates`.
    package internal(set) var underlyingCloses: [String: ArraySlice<Double>] = [:]
    /// Each asset's traded value in USD per row, `[T, N]` row-major, from `ohlcv.csv`
    /// (`close * volume`, or `volume` with `volume_unit: quote`); `nan` where the file has
    /// none; nil without the file.
    package internal(set) var dollarVolumes: ArraySlice<Double>?

    /// The number of rows.
    package var rowCount: Int { dates.count }

    /// The price of asset `asset` at row `row`, or nil when it is not listed yet.
    package func price(row: Int, asset: Int) -> Double? {
        let value = prices[row * assets.count + asset]
        return value.isNaN ? nil : value
    }

    /// The dollar volume of asset `asset` at row `row`, or nil when `ohlcv.csv` has none.
    package func dollarVolume(row: Int, asset: Int) -> Double? {
        guard let value = dollarVolumes?[row * assets.count + asset], !value.isNaN else { return nil }
        return value
    }

    /// The futures chain of `asset`, when `futures.csv` has contracts on it.
    package func futuresChain(of asset: String) -> FuturesChain? {
        futures.first { $0.asset == asset }
    }

    /// The close of `prices.csv` of asset `asset` at row `row` (the underlying's spot close,
    /// also for an asset held through futures), or nil when it is not listed yet.
    package func spotClose(row: Int, asset: Int) -> Double? {
        guard let closes = underlyingCloses[assets[asset]] else { return price(row: row, asset: asset) }
        return closes[row].isNaN ? nil : closes[row]
    }

    /// How asset `asset` is held from a decision at `row`: the auto choice, else its kind
    /// (nil when it is not listed, or a future without a held contract).
    package func instrument(of asset: Int, atRow row: Int) -> Instrument? {
        let name = assets[asset]
        if let chosen = instruments[name] { return chosen[row] }
        guard price(row: row, asset: asset) != nil else { return nil }
        switch kind(of: name) {
        case .spot: return .spot
        case .perp: return .perp
        case .future: return futuresChain(of: name)?.heldContract(atRow: row) == nil ? nil : .future
        }
    }

    /// The funding rates charged on a position in `asset` held during each period: a perp's
    /// rates, an auto-chosen asset's rates on the periods its perp is held (0 otherwise), nil
    /// for spot and futures.
    package func chargedFunding(of asset: String) -> ArraySlice<Double>? {
        guard kind(of: asset) == .perp || instruments[asset] != nil else { return nil }
        return funding.first { $0.asset == asset }?.rates
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
    /// The first row with a recorded rate, when known.
    package internal(set) var firstRecordedRow: Int?
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
