import Support

/// `ohlcv.csv` (contract section 11): long form, one row per asset per day, columns
/// `date,asset,open,high,low,close,volume` in any order (`date`, `asset` and `volume`
/// required; `close` too when the volume counts units of the asset). What the market keeps is
/// each asset's dollar volume per row of `prices.csv`, the input of market impact: `close *
/// volume`, or `volume` itself when `dataset.yaml` says `volume_unit: quote`.
///
/// Every rule is checked with the row's line and the field's column: a date that is not a
/// date of `prices.csv`, an unknown asset, two rows for one asset on one date, a number that
/// does not parse or is not finite, a close that is not a positive price, a negative volume.
/// An empty volume (or close, in units of the asset) leaves that day without volume data.
enum OhlcvReader {
    /// The columns a file may have.
    static let columns = ["date", "asset", "open", "high", "low", "close", "volume"]
    /// The largest volume accepted: its dollar value stays finite at any accepted close.
    static let volumeLimit = 1e18

    /// Per row of `prices.csv` and asset (`[T, N]` row-major), the dollar volume; `nan` where
    /// the file has none.
    static func read(
        _ text: String, file: String, prices: PriceTableReader, unit: DatasetConfig.VolumeUnit,
        problems: inout ProblemCollector
    ) throws -> [Double] {
        let n = prices.assets.count
        var volumes = [Double](repeating: .nan, count: prices.dates.count * n)
        let required = unit == .base ? ["date", "asset", "close", "volume"] : ["date", "asset", "volume"]
        guard
            let (table, header, position) = try CSVTable.longForm(
                text, file: file, columns: columns, required: required, problems: &problems)
        else { return volumes }
        let rowOfDate = Dictionary(uniqueKeysWithValues: prices.dates.enumerated().map { ($1, $0) })
        let columnOfAsset = Dictionary(uniqueKeysWithValues: prices.assets.enumerated().map { ($1, $0) })
        var seen = Set<Int>()
        for record in table.records.dropFirst() {
            guard try record.hasWidth(of: header, file: file, problems: &problems) else { continue }
            let row = Row(record: record, position: position, file: file)
            guard let parsed = try row.parseVolume(rowOfDate: rowOfDate, columnOfAsset: columnOfAsset, problems: &problems) else {
                continue
            }
            let cell = parsed.row * n + parsed.asset
            guard seen.insert(cell).inserted else {
                try problems.report(
                    row.problem("date", .duplicateAssetDate(asset: prices.assets[parsed.asset], date: row.field("date")!)))
                continue
            }
            guard let volume = parsed.volume else { continue }
            if unit == .quote {
                volumes[cell] = volume
            } else if let close = parsed.close {
                volumes[cell] = close * volume
            }
        }
        return volumes
    }

    /// One row's values.
    fileprivate struct Parsed {
        let row: Int
        let asset: Int
        let close: Double?
        let volume: Double?
    }

    /// A record with its columns located.
    private typealias Row = CSVTable.LongFormRow
}

extension CSVTable.LongFormRow {
    /// The row's values, or nil (with its problems reported) when a field breaks a rule.
    fileprivate func parseVolume(rowOfDate: [Timestamp: Int], columnOfAsset: [String: Int], problems: inout ProblemCollector)
        throws
        -> OhlcvReader.Parsed?
    {
        var broken = false
        func report(_ name: String, _ rule: DatasetError.Rule) throws {
            broken = true
            try problems.report(problem(name, rule))
        }
        let dateText = field("date")!
        var row: Int?
        if let date = Timestamp(parsing: dateText) {
            row = rowOfDate[date]
            if row == nil { try report("date", .volumeDateNotInPrices(dateText)) }
        } else {
            try report("date", .unparsableDate(dateText))
        }
        let assetText = field("asset")!
        let asset = columnOfAsset[assetText]
        if asset == nil { try report("asset", .unknownAsset(assetText)) }
        for name in ["open", "high", "low"] { _ = try number(name, report: report) }
        var close = try number("close", report: report)
        if let value = close, value <= 0 || !PriceTableReader.priceRange.contains(value) {
            let rule: DatasetError.Rule =
                value <= 0
                ? .nonPositivePrice(value: field("close")!, asset: assetText, date: dateText)
                : .priceOutOfRange(value: field("close")!, asset: assetText, date: dateText)
            try report("close", rule)
            close = nil
        }
        let volume = try number("volume", report: report)
        if let value = volume, !(0...OhlcvReader.volumeLimit).contains(value) {
            try report("volume", .invalidField(name: "volume", value: field("volume")!, rule: "must be from 0 to 1e18"))
        }
        guard !broken, let row, let asset else { return nil }
        return OhlcvReader.Parsed(row: row, asset: asset, close: close, volume: volume)
    }

    /// The column's number, nil when absent or empty; a field that is not a finite number
    /// is reported.
    private func number(_ name: String, report: (String, DatasetError.Rule) throws -> Void) throws -> Double? {
        guard let text = field(name), !text.isEmpty else { return nil }
        return try number(text, column: name, report: report)
    }
}
