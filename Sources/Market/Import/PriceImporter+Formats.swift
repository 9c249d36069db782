import Foundation
import Support

extension PriceImporter {
    static let quoteSuffixes = ["FDUSD", "USDT", "USDC", "BUSD", "TUSD", "USDP", "USD"]

    /// `BTCUSDT` -> `BTC`: the first matching quote suffix removed, if something is left.
    static func baseAsset(of symbol: String) -> String {
        for suffix in quoteSuffixes where symbol.hasSuffix(suffix) && symbol.count > suffix.count {
            return String(symbol.dropLast(suffix.count))
        }
        return symbol
    }

    static func fileName(_ file: String) -> String {
        String(file.split(separator: "/").last ?? Substring(file))
    }

    /// An epoch time in milliseconds, or microseconds when `>= 10^15`, as milliseconds.
    static func milliseconds(_ text: String) -> Int64? {
        guard let value = Int64(text) else { return nil }
        return value >= 1_000_000_000_000_000 ? value / 1000 : value
    }

    /// Binance klines (rules K1-K7): `SYMBOL-1d-*.csv`, 12 fields, close in field 5; open,
    /// high, low, close and the volume in units of the asset (fields 2-6) make `ohlcv.csv`'s bars.
    mutating func addBinanceKlines(_ text: String, file: String) throws(DatasetError) {
        let name = Self.fileName(file)
        let parts = name.split(separator: "-")
        guard parts.count >= 3, parts[1] == "1d", name.hasSuffix(".csv") else {
            throw DatasetError(file: file, rule: .unrecognisedFileName(expected: "SYMBOL-1d-YYYY-MM[-DD].csv (daily klines)"))
        }
        let symbol = String(parts[0])
        let asset = Self.baseAsset(of: symbol)
        for record in try Self.records(text, file: file, skippingHeader: true) {
            guard record.fields.count == 12 else {
                throw DatasetError(
                    file: file, line: record.line, column: min(record.fields.count, 12) + 1,
                    rule: .raggedRow(expected: 12, found: record.fields.count))
            }
            guard let time = Self.milliseconds(record.fields[0]) else {
                throw DatasetError(file: file, line: record.line, column: 1, rule: .unparsableNumber(record.fields[0]))
            }
            guard time % 86_400_000 == 0 else {
                throw DatasetError(file: file, line: record.line, column: 1, rule: .notDaily(record.fields[0]))
            }
            let day = Int(time / 86_400_000)
            try add(asset: asset, symbol: symbol, day: day, price: record.fields[4], file: file, line: record.line, column: 5)
            try addBar(.positional, asset: asset, unit: .base, day: day, record: record, file: file)
        }
    }

    /// Binance funding settlements (rules F1-F3): `SYMBOL-fundingRate-*.csv`.
    mutating func addBinanceFunding(_ text: String, file: String) throws(DatasetError) {
        let name = Self.fileName(file)
        let parts = name.split(separator: "-")
        guard parts.count >= 2, parts[1] == "fundingRate", name.hasSuffix(".csv") else {
            throw DatasetError(file: file, rule: .unrecognisedFileName(expected: "SYMBOL-fundingRate-YYYY-MM.csv"))
        }
        let asset = Self.baseAsset(of: String(parts[0]))
        guard prices[asset] != nil else { throw DatasetError(file: file, rule: .unknownAsset(asset)) }
        var seen = Set(settlements[asset, default: []].map(\.time))
        for record in try Self.records(text, file: file, skippingHeader: true) {
            guard record.fields.count == 3 else {
                throw DatasetError(
                    file: file, line: record.line, column: min(record.fields.count, 3) + 1,
                    rule: .raggedRow(expected: 3, found: record.fields.count))
            }
            guard let time = Self.milliseconds(record.fields[0]) else {
                throw DatasetError(file: file, line: record.line, column: 1, rule: .unparsableNumber(record.fields[0]))
            }
            guard let rate = DecimalNumber.parse(record.fields[2]) else {
                throw DatasetError(file: file, line: record.line, column: 3, rule: .unparsableNumber(record.fields[2]))
            }
            guard rate.isFinite else {
                throw DatasetError(file: file, line: record.line, column: 3, rule: .nonFinite(record.fields[2]))
            }
            guard seen.insert(time).inserted else {
                throw DatasetError(file: file, line: record.line, column: 1, rule: .duplicateDate(record.fields[0]))
            }
            settlements[asset, default: []].append((time, rate))
        }
    }

    /// CoinGecko export (rules C1-C3): `coin-vs-max.csv`, price in field 2, no shift.
    mutating func addCoinGecko(_ text: String, file: String) throws(DatasetError) {
        let name = Self.fileName(file)
        let asset = String(name.split(separator: "-").first ?? Substring(name)).replacingOccurrences(of: ".csv", with: "")
            .uppercased()
        let records = try Self.records(text, file: file, skippingHeader: false)
        let header = "snapped_at,price,market_cap,total_volume"
        guard let first = records.first, first.fields.joined(separator: ",") == header else {
            throw DatasetError(
                file: file, line: 1, column: 1,
                rule: .unexpectedHeader(expected: header, found: records.first?.fields.joined(separator: ",") ?? ""))
        }
        var skipped: [Int] = []
        for record in records.dropFirst() {
            guard record.fields.count == 4 else {
                throw DatasetError(
                    file: file, line: record.line, column: min(record.fields.count, 4) + 1,
                    rule: .raggedRow(expected: 4, found: record.fields.count))
            }
            let stamp = record.fields[0]
            guard stamp.hasSuffix(" 00:00:00 UTC"), let date = Timestamp(parsing: stamp.prefix(10)), stamp.count == 23 else {
                throw DatasetError(file: file, line: record.line, column: 1, rule: .notDaily(stamp))
            }
            if record.fields[1].isEmpty {
                skipped.append(record.line)
                continue
            }
            try add(
                asset: asset, symbol: asset, day: date.dayNumber, price: record.fields[1], file: file, line: record.line,
                column: 2)
        }
        if !skipped.isEmpty {
            warnings.append(
                "\(file): skipped \(skipped.count) row(s) with no price (lines \(skipped.map(String.init).joined(separator: ", ")))"
            )
        }
    }

    /// The file's records; with `skippingHeader`, a first line whose first field is not
    /// all digits is dropped (Binance futures files carry a header, spot files do not).
    static func records(_ text: String, file: String, skippingHeader: Bool) throws(DatasetError) -> [CSVTable.Record] {
        let table: CSVTable
        do {
            table = try CSVTable(parsing: text)
        } catch {
            guard case .unterminatedQuote(let line) = error else { return [] }
            throw DatasetError(file: file, line: line, rule: .unterminatedQuote)
        }
        guard let first = table.records.first else { throw DatasetError(file: file, line: 1, column: 1, rule: .emptyFile) }
        if skippingHeader, !(first.fields.first ?? "").allSatisfy(\.isNumber) || (first.fields.first ?? "").isEmpty {
            return Array(table.records.dropFirst())
        }
        return Array(table.records)
    }
}
