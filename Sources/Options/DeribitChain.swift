import Foundation
import Market
import Support

/// Deribit's option-chain export, read directly by `regimen options price`: the rows of
/// `public/get_book_summary_by_currency` (`instrument_name`, `mark_price`, `mark_iv`,
/// `underlying_price`, `creation_timestamp` in ms, ...) or of Tardis.dev's `options_chain`
/// (`symbol`, `timestamp` in µs, ...), written to CSV with their own column names, in any
/// order, other columns ignored.
///
/// An instrument `BTC-26JAN24-40000-C` is the asset `BTC`, a call struck at 40000 expiring
/// 2024-01-26 08:00 UTC (Deribit's expiry time); `_USDC` after the asset marks a linear option
/// quoted in USD, a `d` in the strike is its decimal point (`XRP_USDC-29MAR24-0d625-P`). The
/// forward is `underlying_price` (the expiry's future or synthetic forward); the quote is
/// `mark_price` (in coin, a fraction of the forward; in USD for `_USDC`) with `--implied`, else
/// `mark_iv / 100`.
enum DeribitChain {
    /// One instrument name, read.
    struct Instrument: Equatable {
        let asset: String
        let type: OptionType
        let strike: Double
        let expiry: Timestamp
        /// Coin-settled (inverse): the mark is a fraction of the forward.
        let inCoin: Bool
    }

    /// The instrument name's columns: Deribit's own, then Tardis.dev's.
    static let instrumentColumns = ["instrument_name", "symbol"]
    /// The snapshot-time columns: Deribit's (ms), then Tardis.dev's (µs).
    static let timeColumns = ["creation_timestamp", "timestamp"]

    /// Whether a header (names lower-cased) is Deribit's shape.
    static func matches(_ names: [String]) -> Bool {
        names.contains("mark_price") && names.contains("underlying_price") && instrumentColumns.contains(where: names.contains)
    }

    /// The newest row time of the export, when it has a time column: the time the chain was
    /// taken (epoch ms, or µs when `>= 10^15`, floored to the second).
    static func snapshotTime(_ table: CSVTable) -> Timestamp? {
        let names = table.records[0].fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard let column = timeColumns.lazy.compactMap(names.firstIndex(of:)).first else { return nil }
        let times = table.records.dropFirst().compactMap { record in
            record.fields.count > column ? Int64(record.fields[column].trimmingCharacters(in: .whitespaces)) : nil
        }
        guard let newest = times.max() else { return nil }
        let seconds = newest >= 1_000_000_000_000_000 ? newest / 1_000_000 : newest / 1000
        return Timestamp(secondsSinceEpoch: seconds, isDateOnly: false)
    }

    /// The rows of `table` read as quotes; problems go to `problems`.
    static func quotes(_ table: CSVTable, valuation: Timestamp, implied: Bool, problems: inout ChainProblemList) -> [ChainQuote] {
        let header = table.records[0]
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let instrumentColumn = instrumentColumns.lazy.compactMap(names.firstIndex(of:)).first!
        let quoteName = implied ? "mark_price" : "mark_iv"
        guard let quoteColumn = names.firstIndex(of: quoteName), let forwardColumn = names.firstIndex(of: "underlying_price")
        else {
            problems.report(header.line, nil, .missingColumn(quoteName))
            return []
        }
        var quotes: [ChainQuote] = []
        for record in table.records.dropFirst() {
            guard record.fields.count == names.count else {
                problems.report(
                    record.line, min(record.fields.count, names.count) + 1,
                    .raggedRow(expected: names.count, found: record.fields.count))
                continue
            }
            let line = record.line
            let name = record.fields[instrumentColumn].trimmingCharacters(in: .whitespaces)
            guard let instrument = Self.instrument(name) else {
                problems.report(
                    line, instrumentColumn + 1,
                    .invalidField(
                        name: names[instrumentColumn], value: name, rule: "must be an option name such as BTC-26JAN24-40000-C"))
                continue
            }
            let quoteText = record.fields[quoteColumn].trimmingCharacters(in: .whitespaces)
            let forward = problems.positive(
                record.fields[forwardColumn].trimmingCharacters(in: .whitespaces), name: "underlying_price", line: line,
                column: forwardColumn + 1)
            let quote = problems.positive(quoteText, name: quoteName, line: line, column: quoteColumn + 1, orZero: implied)
            let years = problems.years(
                to: instrument.expiry, text: name, name: names[instrumentColumn], valuation: valuation, line: line,
                column: instrumentColumn + 1)
            guard let forward, let quote, let years else { continue }
            quotes.append(
                ChainQuote(
                    line: line, asset: instrument.asset, type: instrument.type, strike: instrument.strike,
                    expiry: instrument.expiry.description, years: years, forward: forward,
                    quote: implied ? quote : quote / 100, inCoin: implied && instrument.inCoin, quoteName: quoteName,
                    quoteText: quoteText, quoteColumn: quoteColumn + 1))
        }
        return quotes
    }

    /// Reads `ASSET[_USDC]-DMMMYY-STRIKE-C|P`; `nil` for anything else (a future, a perpetual).
    static func instrument(_ name: String) -> Instrument? {
        let parts = name.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4, !parts[0].isEmpty, let expiry = expiry(parts[1]),
            let strike = Double(parts[2].replacingOccurrences(of: "d", with: ".")), strike.isFinite, strike > 0,
            parts[2].first?.isNumber == true
        else { return nil }
        let type: OptionType
        switch parts[3] {
        case "C": type = .call
        case "P": type = .put
        default: return nil
        }
        let currency = parts[0].split(separator: "_").map(String.init)
        guard let asset = currency.first, currency.count <= 2 else { return nil }
        return Instrument(asset: asset, type: type, strike: strike, expiry: expiry, inCoin: currency.count == 1)
    }

    /// `26JAN24` (or `5JAN24`) as 08:00 UTC of that day.
    static func expiry(_ text: String) -> Timestamp? {
        let months = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
        let characters = Array(text)
        guard (6...7).contains(characters.count) else { return nil }
        let dayDigits = characters.count - 5
        guard let day = Int(String(characters[0..<dayDigits])), let year = Int(String(characters[(dayDigits + 3)...])),
            let month = months.firstIndex(of: String(characters[dayDigits..<(dayDigits + 3)])),
            characters[(dayDigits + 3)...].allSatisfy(\.isNumber), characters[0..<dayDigits].allSatisfy(\.isNumber)
        else { return nil }
        let date = String(format: "%04d-%02d-%02dT08:00:00Z", 2000 + year, month + 1, day)
        return Timestamp(parsing: date)
    }
}
