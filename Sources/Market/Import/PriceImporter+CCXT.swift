import Foundation
import Support

extension PriceImporter {
    /// The columns of CCXT's `fetch_ohlcv` rows, as written without a header.
    static let ccxtHeader = "timestamp,open,high,low,close,volume"

    /// CCXT OHLCV export (rules X1-X4): `fetch_ohlcv`'s rows `timestamp,open,high,low,close,volume`
    /// with or without that header, the time in Unix milliseconds (or an RFC 3339 midnight, as
    /// `exchange.iso8601` writes it), the price `close`; with a volume (in units of the asset,
    /// as CCXT gives it), the daily bars of `ohlcv.csv` too.
    mutating func addCCXT(_ text: String, file: String) throws(DatasetError) {
        let asset = Self.ccxtAsset(Self.fileName(file))
        let records = try Self.records(text, file: file, skippingHeader: false)
        let first = records[0].fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let hasHeader = !(first.first ?? "").allSatisfy(\.isNumber) || (first.first ?? "").isEmpty
        let timeColumn = hasHeader ? ["timestamp", "datetime", "date", "time"].lazy.compactMap(first.firstIndex(of:)).first : 0
        let closeColumn = hasHeader ? first.firstIndex(of: "close") : 4
        guard let timeColumn, let closeColumn else {
            throw DatasetError(
                file: file, line: records[0].line, column: 1,
                rule: .unexpectedHeader(expected: Self.ccxtHeader, found: records[0].fields.joined(separator: ",")))
        }
        let width = hasHeader ? first.count : 6
        let bar = hasHeader ? BarColumns(first, among: Array(first.indices)) : BarColumns.positional
        for record in records.dropFirst(hasHeader ? 1 : 0) {
            guard record.fields.count == width else {
                throw DatasetError(
                    file: file, line: record.line, column: min(record.fields.count, width) + 1,
                    rule: .raggedRow(expected: width, found: record.fields.count))
            }
            let day = try Self.ccxtDay(record.fields[timeColumn], file: file, line: record.line, column: timeColumn + 1)
            try add(
                asset: asset, symbol: asset, day: day, price: record.fields[closeColumn], file: file, line: record.line,
                column: closeColumn + 1)
            if let bar { try addBar(bar, asset: asset, unit: .base, day: day, record: record, file: file) }
        }
    }

    /// Rule X1: the file name's part before its first `_`, `-` or `.`, without a quote suffix
    /// (rule K2): `BTC_USDT-1d.csv`, `BTC-USDT.csv` and `BTCUSDT_1d.csv` are all `BTC`.
    static func ccxtAsset(_ name: String) -> String {
        let base = name.split(whereSeparator: { "_-.".contains($0) }).first.map(String.init) ?? name
        return baseAsset(of: base)
    }

    /// Rule X3: the day of a UTC-midnight time in Unix milliseconds (all digits, an optional
    /// leading `-`), or of an RFC 3339 or `YYYY-MM-DD` midnight (rule Y4).
    /// - Throws: `not-daily` for a time that is not a UTC midnight, `unparsable-date` otherwise.
    static func ccxtDay(_ text: String, file: String, line: Int, column: Int) throws(DatasetError) -> Int {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let milliseconds = Int64(trimmed) else {
            return try dailyDate(trimmed, file: file, line: line, column: column)
        }
        guard milliseconds % 86_400_000 == 0 else {
            throw DatasetError(file: file, line: line, column: column, rule: .notDaily(text))
        }
        return Int(milliseconds / 86_400_000)
    }
}
