import Foundation
import Market
import Support

/// `regimen options price` (contract section 7): a chain CSV in, every option priced with its
/// Greeks out, in the input's row order.
///
/// Input columns, in any order: `asset,type,strike,expiry,forward` and `iv` (a fraction), or
/// with `implied` `price_coin` (coin-settled, a fraction of the forward) or `price` (USD)
/// instead of `iv`. `expiry` is RFC 3339 UTC or a date (00:00 UTC). Every bad row is refused
/// with its line, column and rule (up to 50, like `data validate`); nothing is written then.
/// Output: `asset,type,strike,expiry,t_years,forward,iv,price,price_coin,delta,gamma,vega,theta`.
package struct OptionChain: Sendable {
    /// One priced option.
    package struct Row: Sendable, Equatable {
        package let asset: String
        package let type: OptionType
        package let strike: Double
        package let expiry: String
        package let years: Double
        package let forward: Double
        package let volatility: Double
        package let value: OptionValue
    }

    /// The options in input order.
    package let rows: [Row]

    /// The output header.
    package static let outputHeader = "asset,type,strike,expiry,t_years,forward,iv,price,price_coin,delta,gamma,vega,theta"

    /// Prices the chain in `text`.
    /// - Parameters:
    ///   - file: the path, for messages.
    ///   - valuation: the valuation time (`--at`).
    ///   - rate: the discount rate `r`.
    ///   - implied: read prices and solve for the volatility instead of reading `iv`.
    /// - Throws: the problems found, in file order (at most 50).
    package init(text: String, file: String, valuation: Timestamp, rate: Double, implied: Bool) throws(OptionChainProblems) {
        let table: CSVTable
        do { table = try CSVTable(parsing: text) } catch {
            guard case .unterminatedQuote(let line) = error else { throw OptionChainProblems(problems: []) }
            throw OptionChainProblems(problems: [DatasetError(file: file, line: line, rule: .unterminatedQuote)])
        }
        var problems: [DatasetError] = []
        func report(_ line: Int, _ column: Int?, _ rule: DatasetError.Rule) {
            if problems.count < 50 { problems.append(DatasetError(file: file, line: line, column: column, rule: rule)) }
        }
        guard let header = table.records.first else {
            throw OptionChainProblems(problems: [DatasetError(file: file, line: 1, column: 1, rule: .emptyFile)])
        }
        let allowed = ["asset", "type", "strike", "expiry", "forward", "iv", "price_coin", "price"]
        var position: [String: Int] = [:]
        for (offset, raw) in header.fields.enumerated() {
            let name = trimmed(raw).lowercased()
            if !allowed.contains(name) {
                report(header.line, offset + 1, .unknownColumn(name, allowed: allowed))
            } else if position[name] != nil {
                report(header.line, offset + 1, .duplicateColumn(name))
            } else {
                position[name] = offset
            }
        }
        let priceColumn = implied ? (position["price_coin"] != nil ? "price_coin" : "price") : "iv"
        for name in ["asset", "type", "strike", "expiry", "forward", priceColumn] where position[name] == nil {
            report(header.line, nil, .missingColumn(name))
        }
        if implied && position["price_coin"] != nil && position["price"] != nil {
            report(
                header.line, position["price"]! + 1,
                .invalidField(name: "price", value: "price", rule: "give price_coin or price, not both"))
        }
        guard problems.isEmpty else { throw OptionChainProblems(problems: problems) }
        var rows: [Row] = []
        for record in table.records.dropFirst() {
            guard record.fields.count == header.fields.count else {
                report(
                    record.line, min(record.fields.count, header.fields.count) + 1,
                    .raggedRow(expected: header.fields.count, found: record.fields.count))
                continue
            }
            func field(_ name: String) -> String { trimmed(record.fields[position[name]!]) }
            func column(_ name: String) -> Int { position[name]! + 1 }
            func positive(_ name: String) -> Double? {
                let text = field(name)
                guard let value = DecimalNumber.parse(text) else {
                    report(record.line, column(name), .unparsableNumber(text))
                    return nil
                }
                guard value.isFinite, value > 0 else {
                    report(record.line, column(name), .invalidField(name: name, value: text, rule: "must be a positive number"))
                    return nil
                }
                return value
            }
            let asset = field("asset")
            if asset.isEmpty { report(record.line, column("asset"), .emptyField("asset")) }
            let type = OptionType(rawValue: field("type").lowercased())
            if type == nil {
                report(
                    record.line, column("type"), .invalidField(name: "type", value: field("type"), rule: "must be call or put"))
            }
            let (strike, forward, quote) = (positive("strike"), positive("forward"), positive(priceColumn))
            let expiryText = field("expiry")
            let expiry = Timestamp(parsing: expiryText)
            var years: Double?
            if let expiry {
                let value = Double(expiry.secondsSinceEpoch - valuation.secondsSinceEpoch) / (365 * 86_400)
                if value > 0 {
                    years = value
                } else {
                    report(
                        record.line, column("expiry"),
                        .invalidField(name: "expiry", value: expiryText, rule: "must be after the valuation time \(valuation)"))
                }
            } else {
                report(record.line, column("expiry"), .unparsableDate(expiryText))
            }
            guard !asset.isEmpty, let type, let strike, let forward, let quote, let years else { continue }
            let volatility: Double
            switch Self.volatility(
                quote, implied: implied, inCoin: priceColumn == "price_coin", type, forward: forward, strike: strike,
                years: years,
                rate: rate)
            {
            case .success(let value): volatility = value
            case .failure(let refusal):
                report(
                    record.line, column(priceColumn),
                    .invalidField(name: priceColumn, value: field(priceColumn), rule: refusal.rule))
                continue
            }
            let value = Black76.value(type, forward: forward, strike: strike, years: years, volatility: volatility, rate: rate)
            rows.append(
                Row(
                    asset: asset, type: type, strike: strike, expiry: expiryText, years: years, forward: forward,
                    volatility: volatility, value: value))
        }
        if table.records.count == 1 { report(header.line + 1, 1, .noRows) }
        guard problems.isEmpty else { throw OptionChainProblems(problems: problems) }
        self.rows = rows
    }

    /// Why a row's quote gives no volatility: the rule it breaks.
    struct QuoteRefusal: Error {
        let rule: String
    }

    /// The row's volatility: the `iv` read (at most `ImpliedVolatility.highest`, where Black-76
    /// in doubles is exact), or with `implied` the volatility that reprices the quote (in coin:
    /// a fraction of the forward).
    static func volatility(
        _ quote: Double, implied: Bool, inCoin: Bool, _ type: OptionType, forward: Double, strike: Double, years: Double,
        rate: Double
    ) -> Result<Double, QuoteRefusal> {
        guard implied else {
            guard quote <= ImpliedVolatility.highest else {
                return .failure(
                    QuoteRefusal(
                        rule: "must be at most \(ImpliedVolatility.highest) (10,000% a year), where Black-76 prices are exact"))
            }
            return .success(quote)
        }
        do throws(ImpliedVolatility.Refusal) {
            return .success(
                try ImpliedVolatility.solve(
                    type, price: inCoin ? quote * forward : quote, forward: forward, strike: strike, years: years, rate: rate))
        } catch {
            return .failure(QuoteRefusal(rule: "\(error)"))
        }
    }

    /// The output CSV (shortest round-trip decimals).
    package var csv: String {
        Self.outputHeader + "\n"
            + rows.map { row in
                let v = row.value
                return [
                    csvField(row.asset), row.type.rawValue, "\(row.strike)", csvField(row.expiry), "\(row.years)",
                    "\(row.forward)",
                    "\(row.volatility)", "\(v.price)", "\(v.price / row.forward)", "\(v.delta)", "\(v.gamma)", "\(v.vega)",
                    "\(v.theta)",
                ].joined(separator: ",") + "\n"
            }.joined()
    }

    private func csvField(_ text: String) -> String {
        text.contains(",") || text.contains("\"") ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }
}

/// The problems of a chain file, each with its line, column and rule.
package struct OptionChainProblems: ReportableError {
    package let problems: [DatasetError]

    package var exitStatus: Int32 { ExitStatus.badData }

    package var description: String {
        problems.map(\.description).joined(separator: "\n") + (problems.count > 1 ? "\n\(problems.count) problems found" : "")
    }
}
