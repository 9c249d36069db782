import Foundation
import Market
import Support

/// One chain row as read, before pricing: the option, its quote, and where the quote sits.
struct ChainQuote {
    let line: Int
    let asset: String
    let type: OptionType
    let strike: Double
    let expiry: String
    let years: Double
    let forward: Double
    /// The `iv` (a fraction), or with `--implied` the price: in coin (a fraction of the
    /// forward) when `inCoin`, else in USD.
    let quote: Double
    let inCoin: Bool
    /// The quote's column name, its text and its 1-based column, for refusals.
    let quoteName: String
    let quoteText: String
    let quoteColumn: Int
}

/// The problems found while reading a chain, each with its line, column and rule (at most 50,
/// like `data validate`).
struct ChainProblemList {
    let file: String
    private(set) var problems: [DatasetError] = []

    init(file: String) { self.file = file }

    /// Records a problem unless 50 are already recorded.
    mutating func report(_ line: Int, _ column: Int?, _ rule: DatasetError.Rule) {
        if problems.count < 50 { problems.append(DatasetError(file: file, line: line, column: column, rule: rule)) }
    }

    /// A positive finite number from `text` (zero too with `orZero`: a price), or `nil` with
    /// the problem recorded.
    mutating func positive(_ text: String, name: String, line: Int, column: Int, orZero: Bool = false) -> Double? {
        guard let value = DecimalNumber.parse(text) else {
            report(line, column, .unparsableNumber(text))
            return nil
        }
        guard value.isFinite, value > 0 || (orZero && value == 0) else {
            let rule = orZero ? "must be a number not below 0" : "must be a positive number"
            report(line, column, .invalidField(name: name, value: text, rule: rule))
            return nil
        }
        return value
    }

    /// The years of 365 days from `valuation` to `expiry`, or `nil` with the problem recorded
    /// when the option expires at or before the valuation time.
    mutating func years(to expiry: Timestamp, text: String, name: String, valuation: Timestamp, line: Int, column: Int)
        -> Double?
    {
        let value = Double(expiry.secondsSinceEpoch - valuation.secondsSinceEpoch) / (365 * 86_400)
        guard value > 0 else {
            report(line, column, .invalidField(name: name, value: text, rule: "must be after the valuation time \(valuation)"))
            return nil
        }
        return value
    }
}

/// The project's own chain shape: `asset,type,strike,expiry,forward` and `iv`, or with
/// `--implied` `price_coin` or `price`, in any order (contract section 7).
enum StandardChain {
    /// The columns it may have.
    static let allowed = ["asset", "type", "strike", "expiry", "forward", "iv", "price_coin", "price"]

    /// The rows of `table` read as quotes; problems go to `problems`.
    static func quotes(_ table: CSVTable, valuation: Timestamp, implied: Bool, problems: inout ChainProblemList) -> [ChainQuote] {
        guard let (position, quoteName) = columns(table.records[0], implied: implied, problems: &problems) else { return [] }
        let width = table.records[0].fields.count
        var quotes: [ChainQuote] = []
        for record in table.records.dropFirst() {
            guard record.fields.count == width else {
                problems.report(
                    record.line, min(record.fields.count, width) + 1, .raggedRow(expected: width, found: record.fields.count))
                continue
            }
            func field(_ name: String) -> String { record.fields[position[name]!].trimmingCharacters(in: .whitespaces) }
            func column(_ name: String) -> Int { position[name]! + 1 }
            let line = record.line
            let asset = field("asset")
            if asset.isEmpty { problems.report(line, column("asset"), .emptyField("asset")) }
            let type = OptionType(rawValue: field("type").lowercased())
            if type == nil {
                problems.report(
                    line, column("type"), .invalidField(name: "type", value: field("type"), rule: "must be call or put"))
            }
            let strike = problems.positive(field("strike"), name: "strike", line: line, column: column("strike"))
            let forward = problems.positive(field("forward"), name: "forward", line: line, column: column("forward"))
            let quote = problems.positive(
                field(quoteName), name: quoteName, line: line, column: column(quoteName), orZero: implied)
            let expiryText = field("expiry")
            var years: Double?
            if let expiry = Timestamp(parsing: expiryText) {
                years = problems.years(
                    to: expiry, text: expiryText, name: "expiry", valuation: valuation, line: line, column: column("expiry"))
            } else {
                problems.report(line, column("expiry"), .unparsableDate(expiryText))
            }
            guard !asset.isEmpty, let type, let strike, let forward, let quote, let years else { continue }
            quotes.append(
                ChainQuote(
                    line: line, asset: asset, type: type, strike: strike, expiry: expiryText, years: years, forward: forward,
                    quote: quote, inCoin: quoteName == "price_coin", quoteName: quoteName, quoteText: field(quoteName),
                    quoteColumn: column(quoteName)))
        }
        return quotes
    }

    /// Each column's position and the quote's column name, or `nil` when the header is refused.
    static func columns(_ header: CSVTable.Record, implied: Bool, problems: inout ChainProblemList) -> ([String: Int], String)? {
        let before = problems.problems.count
        var position: [String: Int] = [:]
        for (offset, raw) in header.fields.enumerated() {
            let name = raw.trimmingCharacters(in: .whitespaces).lowercased()
            if !allowed.contains(name) {
                problems.report(header.line, offset + 1, .unknownColumn(name, allowed: allowed))
            } else if position[name] != nil {
                problems.report(header.line, offset + 1, .duplicateColumn(name))
            } else {
                position[name] = offset
            }
        }
        let quoteName = implied ? (position["price_coin"] != nil ? "price_coin" : "price") : "iv"
        for name in ["asset", "type", "strike", "expiry", "forward", quoteName] where position[name] == nil {
            problems.report(header.line, nil, .missingColumn(name))
        }
        if implied, position["price_coin"] != nil, let price = position["price"] {
            problems.report(
                header.line, price + 1, .invalidField(name: "price", value: "price", rule: "give price_coin or price, not both"))
        }
        return problems.problems.count == before ? (position, quoteName) : nil
    }
}
