extension Dataset {
    /// The market as it was known at the close of row `row`: rows `0...row` of prices and
    /// funding, and the exogenous observations dated on or before that row's date. What a
    /// decision at `row` may see (cvxportfolio's `serve(t)`); periods per year stay those of
    /// the whole dataset so that a truncated view measures time the same way.
    /// - Precondition: `0 <= row < rowCount`.
    package func truncated(throughRow row: Int) -> Dataset {
        precondition(row >= 0 && row < rowCount, "Dataset.truncated: row \(row) outside 0..<\(rowCount)")
        let n = assets.count
        let cutoff = dates[row]
        let listed = firstRows.map { Swift.min($0, row + 1) }
        var truncated = Dataset(
            dates: dates[...row], assets: assets, prices: prices[..<((row + 1) * n)], firstRows: listed,
            funding: funding.map { series in
                FundingSeries(
                    asset: series.asset, rates: series.rates[...row], missingRows: series.missingRows,
                    firstRecordedRow: series.firstRecordedRow)
            },
            exogenous: exogenous.map { series in
                let count = series.dates.partitioningIndex { $0 > cutoff }
                return ExogenousSeries(name: series.name, dates: series.dates[..<count], values: Array(series.values[..<count]))
            },
            config: config, periodsPerYear: periodsPerYear)
        truncated.futures = futures.map { $0.truncated(throughRow: row) }
        truncated.underlyingCloses = underlyingCloses.mapValues { $0[...row] }
        truncated.instruments = instruments.mapValues { $0[...row] }
        truncated.dollarVolumes = dollarVolumes?[..<((row + 1) * n)]
        return truncated
    }
}

extension RandomAccessCollection where Index == Int {
    /// The first index whose element satisfies `predicate`, for a predicate that is false
    /// then true along the collection (binary search); `endIndex` when none does.
    func partitioningIndex(where predicate: (Element) -> Bool) -> Int {
        var low = startIndex
        var high = endIndex
        while low < high {
            let middle = (low + high) / 2
            if predicate(self[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
