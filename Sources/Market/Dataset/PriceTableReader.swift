/// `prices.csv`: positive closes; empty only before an asset's first price.
struct PriceTableReader {
    let dates: [Timestamp]
    let assets: [String]
    let values: [Double]
    let firstRows: [Int]

    /// The prices accepted: wide enough for any listed asset (a meme coin at 1e-8, an index
    /// at 1e6), narrow enough that every return and its square stay finite.
    static let priceRange = 1e-12...1e12

    static func read(_ text: String, file: String, problems: inout ProblemCollector) throws -> PriceTableReader? {
        guard let table = try WideTable.read(text, file: file, problems: &problems) else { return nil }
        let n = table.names.count
        var values = [Double](repeating: .nan, count: table.dates.count * n)
        var firstRows = [Int?](repeating: nil, count: n)
        for row in table.dates.indices {
            for asset in 0..<n {
                let column = asset + 2
                if let price = table.cell(row: row, column: asset) {
                    if price <= 0 || !Self.priceRange.contains(price) {
                        // The message's strings only for a broken cell: most cells are fine.
                        let (text, name, date) = (
                            table.text(row: row, column: asset), table.names[asset], table.dates[row].description
                        )
                        let broken: DatasetError.Rule =
                            price <= 0
                            ? .nonPositivePrice(value: text, asset: name, date: date)
                            : .priceOutOfRange(value: text, asset: name, date: date)
                        try problems.report(DatasetError(file: file, line: table.lines[row], column: column, rule: broken))
                        continue
                    }
                    values[row * n + asset] = price
                    if firstRows[asset] == nil { firstRows[asset] = row }
                } else if let first = firstRows[asset], table.text(row: row, column: asset).isEmpty {
                    try problems.report(
                        DatasetError(
                            file: file, line: table.lines[row], column: column,
                            rule: .gapAfterListing(
                                asset: table.names[asset], date: table.dates[row].description,
                                listed: table.dates[first].description)))
                }
            }
        }
        for (asset, first) in firstRows.enumerated() where first == nil && !table.dates.isEmpty {
            try problems.report(DatasetError(file: file, line: 1, column: asset + 2, rule: .neverListed(table.names[asset])))
        }
        guard !table.dates.isEmpty, firstRows.allSatisfy({ $0 != nil }) else { return nil }
        return PriceTableReader(dates: table.dates, assets: table.names, values: values, firstRows: firstRows.map { $0! })
    }
}

/// `funding.csv`: a subset of the assets, on dates of `prices.csv`.
enum FundingReader {
    static func read(_ text: String, file: String, prices: PriceTableReader, problems: inout ProblemCollector) throws
        -> [FundingSeries]
    {
        guard let table = try WideTable.read(text, file: file, problems: &problems) else { return [] }
        var known = true
        for (offset, name) in table.names.enumerated() where !prices.assets.contains(name) {
            try problems.report(DatasetError(file: file, line: 1, column: offset + 2, rule: .unknownAsset(name)))
            known = false
        }
        let rowOfDate = Dictionary(uniqueKeysWithValues: prices.dates.enumerated().map { ($1, $0) })
        var rates = [[Double]](repeating: [Double](repeating: 0, count: prices.dates.count), count: table.names.count)
        var recorded = [Int](repeating: 0, count: table.names.count)
        var firstRecorded = [Int?](repeating: nil, count: table.names.count)
        for (index, date) in table.dates.enumerated() {
            guard let row = rowOfDate[date] else {
                try problems.report(
                    DatasetError(file: file, line: table.lines[index], column: 1, rule: .dateNotInPrices(date.description)))
                continue
            }
            for asset in table.names.indices {
                if let cell = table.cell(row: index, column: asset) {
                    rates[asset][row] = cell
                    recorded[asset] += 1
                    firstRecorded[asset] = Swift.min(firstRecorded[asset] ?? row, row)
                }
            }
        }
        guard known else { return [] }
        return table.names.enumerated().map { asset, name in
            FundingSeries(
                asset: name, rates: rates[asset][...], missingRows: prices.dates.count - recorded[asset],
                firstRecordedRow: firstRecorded[asset])
        }
    }
}

/// `features.csv`: exogenous series, empty cells meaning no observation that day.
enum ExogenousReader {
    static func read(_ text: String, file: String, problems: inout ProblemCollector) throws -> [ExogenousSeries] {
        guard let table = try WideTable.read(text, file: file, problems: &problems) else { return [] }
        return table.names.enumerated().map { column, name in
            var dates: [Timestamp] = []
            var values: [Double] = []
            for row in table.dates.indices {
                if let value = table.cell(row: row, column: column) {
                    dates.append(table.dates[row])
                    values.append(value)
                }
            }
            return ExogenousSeries(name: name, dates: dates[...], values: values)
        }
    }
}
