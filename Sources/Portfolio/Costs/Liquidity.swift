import Market

/// Per row and asset, the volatility and dollar volume market impact measures over the
/// `window` rows ending at that row (`MarketImpact`), computed once for a whole market.
struct Liquidity {
    /// Sample standard deviations of simple returns, `[T, N]` row-major (see `MarketImpact`
    /// for a window with fewer than two returns).
    var sigmas: [Double]
    /// Mean dollar volumes, `[T, N]`; 0 where a listed row of the window lacks volume.
    var dollarVolumes: [Double]
    /// Where `dollarVolumes` is 0 for lack of data: the first date of the window without it.
    var missingVolume: [Int: Timestamp] = [:]

    init(_ market: Dataset, window: Int) {
        let (rows, n) = (market.rowCount, market.assets.count)
        sigmas = [Double](repeating: .nan, count: rows * n)
        dollarVolumes = [Double](repeating: 0, count: rows * n)
        for row in 0..<rows {
            for asset in 0..<n where market.price(row: row, asset: asset) != nil {
                let first = Swift.max(row - window + 1, market.firstRows[asset])
                sigmas[row * n + asset] = Self.sampleDeviation(market, asset: asset, returnRows: first...row)
                dollarVolumes[row * n + asset] = meanDollarVolume(market, asset: asset, rows: first...row)
            }
            fillNewListings(row: row, assets: n)
        }
    }

    /// The sample standard deviation of the asset's returns over `returnRows` (those it has),
    /// nan with fewer than two.
    static func sampleDeviation(_ market: Dataset, asset: Int, returnRows: ClosedRange<Int>) -> Double {
        let returns = returnRows.compactMap { market.simpleReturn(row: $0, asset: asset) }
        guard returns.count >= 2 else { return .nan }
        let mean = returns.reduce(0, +) / Double(returns.count)
        let squares = returns.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        return (squares / Double(returns.count - 1)).squareRoot()
    }

    /// The mean dollar volume over `rows`, or 0 (with the first date lacking it recorded).
    mutating func meanDollarVolume(_ market: Dataset, asset: Int, rows: ClosedRange<Int>) -> Double {
        var sum = 0.0
        for row in rows {
            guard let volume = market.dollarVolume(row: row, asset: asset) else {
                missingVolume[rows.upperBound * market.assets.count + asset] = market.dates[row]
                return 0
            }
            sum += volume
        }
        return sum / Double(rows.count)
    }

    /// Gives each asset with fewer than two returns at `row` (listed on it or the row before,
    /// or not listed, when it cannot trade) the largest sigma of the others there (0 when
    /// none has one).
    mutating func fillNewListings(row: Int, assets n: Int) {
        let cells = (row * n)..<((row + 1) * n)
        let largest = cells.map { sigmas[$0] }.filter { !$0.isNaN }.max() ?? 0
        for cell in cells where sigmas[cell].isNaN { sigmas[cell] = largest }
    }
}
