import Foundation
import Support

/// Where a Yahoo file's prices are: the date column, one price column per asset, and the
/// index of the first data record (rules Y1-Y7, `Tests/MarketTests/Fixtures/import/README.md`).
struct YahooLayout {
    /// One asset's price column, and its daily bar's columns when the file has its volume.
    struct Series {
        let asset: String
        let symbol: String
        let column: Int
        var bar: PriceImporter.BarColumns? = nil
    }

    let dateColumn: Int
    let series: [Series]
    let firstRecord: Int

    /// What a header must hold, for refusals.
    static let expected =
        "Date (or Datetime) and Close (or Adj Close) columns, as in Date,Open,High,Low,Close,Adj Close,Volume, or yfinance's Price,Ticker,Date header rows"

    /// Reads the header: the web download's and yfinance's one-row header (names in any case),
    /// or yfinance's three rows `Price,...` / `Ticker,...` / `Date,,...` (either of the first two
    /// first), whose tickers name the assets.
    /// - Throws: `unexpected-header` at line 1 when neither shape has a date and a close.
    init(_ records: [CSVTable.Record], file: String) throws(DatasetError) {
        let names = records.map { $0.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } }
        let found = records.first?.fields.joined(separator: ",") ?? ""
        func refusal() -> DatasetError {
            DatasetError(
                file: file, line: records.first?.line ?? 1, column: 1,
                rule: .unexpectedHeader(expected: Self.expected, found: found))
        }
        if names.count >= 3, Self.tickerRow(names) != nil, let fields = Self.priceRow(names),
            ["date", "datetime"].contains(names[2].first ?? ""), names[2].dropFirst().allSatisfy(\.isEmpty)
        {
            let raw = records[names[0].first == "ticker" ? 0 : 1].fields.map { $0.trimmingCharacters(in: .whitespaces) }
            var series: [Series] = []
            for ticker in Self.distinct(raw.dropFirst()) {
                let columns = raw.indices.filter { $0 > 0 && raw[$0] == ticker }
                guard
                    let column = columns.first(where: { fields[$0] == "adj close" })
                        ?? columns.first(where: { fields[$0] == "close" })
                else { throw refusal() }
                series.append(
                    Series(
                        asset: PriceImporter.yahooAsset(ticker), symbol: ticker, column: column,
                        bar: PriceImporter.BarColumns(fields, among: columns)))
            }
            guard !series.isEmpty else { throw refusal() }
            self.init(dateColumn: 0, series: series, firstRecord: 3)
            return
        }
        guard let header = names.first, let dateColumn = header.firstIndex(of: "date") ?? header.firstIndex(of: "datetime"),
            let column = header.firstIndex(of: "adj close") ?? header.firstIndex(of: "close")
        else { throw refusal() }
        var stem = PriceImporter.fileName(file)
        if stem.hasSuffix(".csv") { stem.removeLast(4) }
        let bar = PriceImporter.BarColumns(header, among: Array(header.indices))
        self.init(
            dateColumn: dateColumn,
            series: [Series(asset: PriceImporter.yahooAsset(stem), symbol: stem, column: column, bar: bar)], firstRecord: 1)
    }

    private init(dateColumn: Int, series: [Series], firstRecord: Int) {
        self.dateColumn = dateColumn
        self.series = series
        self.firstRecord = firstRecord
    }

    /// The lower-cased `Ticker` row of a three-row header (first or second row).
    private static func tickerRow(_ names: [[String]]) -> [String]? {
        names[0].first == "ticker" ? names[0] : names[1].first == "ticker" ? names[1] : nil
    }

    /// The lower-cased `Price` row of a three-row header (first or second row).
    private static func priceRow(_ names: [[String]]) -> [String]? {
        names[0].first == "price" ? names[0] : names[1].first == "price" ? names[1] : nil
    }

    /// The non-empty values in order of first appearance.
    private static func distinct(_ values: ArraySlice<String>) -> [String] {
        var seen = Set<String>()
        return values.filter { !$0.isEmpty && seen.insert($0).inserted }
    }
}

extension PriceImporter {
    /// Yahoo Finance (rules Y1-Y7): the web download, and yfinance's `download()` and
    /// `history()` CSVs; prices by column name, `Adj Close` before `Close`; with a `Volume`
    /// column, the daily bars of `ohlcv.csv` too.
    mutating func addYahoo(_ text: String, file: String) throws(DatasetError) {
        let records = try Self.records(text, file: file, skippingHeader: false)
        let layout = try YahooLayout(records, file: file)
        let width = records[0].fields.count
        var skipped: [String: [Int]] = [:]
        for record in records.dropFirst(layout.firstRecord) {
            guard record.fields.count == width else {
                throw DatasetError(
                    file: file, line: record.line, column: min(record.fields.count, width) + 1,
                    rule: .raggedRow(expected: width, found: record.fields.count))
            }
            let day = try Self.dailyDate(
                record.fields[layout.dateColumn], file: file, line: record.line, column: layout.dateColumn + 1)
            for series in layout.series {
                let price = record.fields[series.column]
                if price.isEmpty || price == "null" {
                    skipped[series.asset, default: []].append(record.line)
                    continue
                }
                try add(
                    asset: series.asset, symbol: series.symbol, day: day, price: price, file: file, line: record.line,
                    column: series.column + 1)
                if var bar = series.bar {
                    bar.close = bar.close ?? series.column  // no Close column: the price's
                    try addBar(
                        bar, asset: series.asset, unit: Self.yahooVolumeUnit(series.symbol), day: day, record: record, file: file)
                }
            }
        }
        for series in layout.series {
            guard let lines = skipped[series.asset] else { continue }
            let which = layout.series.count > 1 ? " \(series.asset)" : ""
            warnings.append(
                "\(file): skipped \(lines.count) row(s) with no\(which) price (lines \(lines.map(String.init).joined(separator: ", ")))"
            )
        }
    }

    /// Rule Y1: a ticker or file stem without a final `_1d` (an interval) and then without a
    /// final `-` and three upper-case letters (the quote currency): `BTC-USD` and `BTC-USD_1d`
    /// -> `BTC`; `SPY` and `BRK-B` stay.
    static func yahooAsset(_ name: String) -> String {
        let stem = name.hasSuffix("_1d") ? String(name.dropLast(3)) : name
        let parts = stem.split(separator: "-", omittingEmptySubsequences: false)
        if parts.count >= 2, let last = parts.last, last.count == 3, last.allSatisfy({ $0.isUppercase && $0.isLetter }) {
            return parts.dropLast().joined(separator: "-")
        }
        return stem
    }

    /// The day of a daily row's date (rule Y4): `YYYY-MM-DD`, optionally followed by a time of
    /// midnight (` ` or `T`, `00:00:00`, an optional zero fraction, an optional `Z` or `+HH:MM`
    /// offset); the day is the calendar date written, whatever the offset.
    /// - Throws: `not-daily` for another time of day, `unparsable-date` for anything else.
    static func dailyDate(_ text: String, file: String, line: Int, column: Int) throws(DatasetError) -> Int {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let date = Timestamp(parsing: trimmed.prefix(10)) else {
            throw DatasetError(file: file, line: line, column: column, rule: .unparsableDate(text))
        }
        let rest = Array(trimmed.utf8.dropFirst(10))
        if rest.isEmpty { return date.dayNumber }
        guard let isMidnight = timeIsMidnight(rest) else {
            throw DatasetError(file: file, line: line, column: column, rule: .unparsableDate(text))
        }
        guard isMidnight else { throw DatasetError(file: file, line: line, column: column, rule: .notDaily(text)) }
        return date.dayNumber
    }

    /// For `[ T]HH:MM:SS[.digits][Z|+HH:MM|-HH:MM|+HHMM]`: whether it is 00:00:00 exactly;
    /// `nil` when the text is not such a time.
    static func timeIsMidnight(_ bytes: [UInt8]) -> Bool? {
        let isDigit = { (byte: UInt8) in byte >= 48 && byte <= 57 }
        guard bytes.count >= 9, bytes[0] == UInt8(ascii: " ") || bytes[0] == UInt8(ascii: "T"),
            bytes[3] == UInt8(ascii: ":"), bytes[6] == UInt8(ascii: ":"),
            [1, 2, 4, 5, 7, 8].allSatisfy({ isDigit(bytes[$0]) })
        else { return nil }
        var index = 9
        var zeroFraction = true
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            let start = index
            while index < bytes.count, isDigit(bytes[index]) {
                zeroFraction = zeroFraction && bytes[index] == UInt8(ascii: "0")
                index += 1
            }
            guard index > start else { return nil }
        }
        let zone = Array(bytes[index...])
        let validZone =
            zone.isEmpty || zone == [UInt8(ascii: "Z")]
            || ((zone.first == UInt8(ascii: "+") || zone.first == UInt8(ascii: "-"))
                && ((zone.count == 6 && zone[3] == UInt8(ascii: ":") && [1, 2, 4, 5].allSatisfy({ isDigit(zone[$0]) }))
                    || (zone.count == 5 && zone.dropFirst().allSatisfy(isDigit))))
        guard validZone else { return nil }
        return zeroFraction && bytes[1...8].elementsEqual("00:00:00".utf8)
    }
}
