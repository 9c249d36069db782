import Foundation
import Market
import Support

/// `regimen options price` (contract section 7): a chain CSV in, every option priced with its
/// Greeks out, in the input's row order.
///
/// Input: the project's shape (`StandardChain`: `asset,type,strike,expiry,forward` and `iv`, or
/// with `implied` `price_coin` or `price`), or Deribit's export (`DeribitChain`), told apart by
/// the header. Every bad row is refused with its line, column and rule (up to 50, like
/// `data validate`); nothing is written then. With `implied`, a well-formed row whose price no
/// volatility reproduces (at or below intrinsic, at or above the bound) is kept with its
/// volatility and Greeks empty and a `note` saying why and by how much, unless `strict`.
/// Output: `asset,type,strike,expiry,t_years,forward,iv,price,price_coin,delta,gamma,vega,theta,note`.
package struct OptionChain: Sendable {
    /// One option: priced, or with `--implied` a quote no volatility reproduces (`note`).
    package struct Row: Sendable, Equatable {
        package let asset: String
        package let type: OptionType
        package let strike: Double
        package let expiry: String
        package let years: Double
        package let forward: Double
        /// The volatility and the Black-76 value; `nil` for a noted row.
        package let volatility: Double?
        package let value: OptionValue?
        /// The price in USD: the model's, or a noted row's quote.
        package let price: Double
        /// Why a row has no volatility (empty when priced).
        package let note: String
    }

    /// The options in input order.
    package let rows: [Row]
    /// The valuation time used: `--at`, else a Deribit export's snapshot time, else now.
    package let valuation: Timestamp
    /// Whether the file was read as Deribit's export.
    package let isDeribit: Bool

    /// The output header.
    package static let outputHeader = "asset,type,strike,expiry,t_years,forward,iv,price,price_coin,delta,gamma,vega,theta,note"

    /// Prices the chain in `text`.
    /// - Parameters:
    ///   - file: the path, for messages.
    ///   - valuation: the valuation time (`--at`); `nil`: a Deribit export's snapshot time, else now.
    ///   - rate: the discount rate `r`.
    ///   - implied: read prices and solve for the volatility instead of reading `iv`.
    ///   - strict: refuse a price no volatility reproduces instead of noting it.
    /// - Throws: the problems found, in file order (at most 50).
    package init(text: String, file: String, valuation: Timestamp?, rate: Double, implied: Bool, strict: Bool = false)
        throws(OptionChainProblems)
    {
        var problems = ChainProblemList(file: file)
        let table: CSVTable
        do { table = try CSVTable(parsing: text) } catch {
            guard case .unterminatedQuote(let line) = error else { throw OptionChainProblems(problems: []) }
            throw OptionChainProblems(problems: [DatasetError(file: file, line: line, rule: .unterminatedQuote)])
        }
        guard let header = table.records.first else {
            throw OptionChainProblems(problems: [DatasetError(file: file, line: 1, column: 1, rule: .emptyFile)])
        }
        isDeribit = DeribitChain.matches(header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
        self.valuation =
            valuation ?? (isDeribit ? DeribitChain.snapshotTime(table) : nil)
            ?? Timestamp(secondsSinceEpoch: Int64(Date().timeIntervalSince1970), isDateOnly: false)
        let quotes =
            isDeribit
            ? DeribitChain.quotes(table, valuation: self.valuation, implied: implied, problems: &problems)
            : StandardChain.quotes(table, valuation: self.valuation, implied: implied, problems: &problems)
        if table.records.count == 1 { problems.report(header.line + 1, 1, .noRows) }
        var rows: [Row] = []
        for quote in quotes {
            if let row = Self.price(quote, implied: implied, strict: strict, rate: rate, problems: &problems) { rows.append(row) }
        }
        guard problems.problems.isEmpty else { throw OptionChainProblems(problems: problems.problems) }
        self.rows = rows
    }

    /// One quote priced; a noted row when no volatility reproduces its price (with `implied`,
    /// unless `strict`); `nil` with the problem recorded otherwise.
    static func price(_ quote: ChainQuote, implied: Bool, strict: Bool, rate: Double, problems: inout ChainProblemList) -> Row? {
        let noted = { (volatility: Double?, value: OptionValue?, price: Double, note: String) in
            Row(
                asset: quote.asset, type: quote.type, strike: quote.strike, expiry: quote.expiry, years: quote.years,
                forward: quote.forward, volatility: volatility, value: value, price: price, note: note)
        }
        switch volatility(
            quote.quote, implied: implied, inCoin: quote.inCoin, quote.type, forward: quote.forward, strike: quote.strike,
            years: quote.years, rate: rate)
        {
        case .success(let volatility):
            let value = Black76.value(
                quote.type, forward: quote.forward, strike: quote.strike, years: quote.years, volatility: volatility, rate: rate)
            return noted(volatility, value, value.price, "")
        case .failure(let refusal):
            guard implied, !strict, let reason = refusal.unreproducible else {
                let advice = implied && refusal.unreproducible != nil ? "; without --strict the row is written with a note" : ""
                problems.report(
                    quote.line, quote.quoteColumn,
                    .invalidField(name: quote.quoteName, value: quote.quoteText, rule: refusal.rule + advice))
                return nil
            }
            let usd = quote.inCoin ? quote.quote * quote.forward : quote.quote
            return noted(nil, nil, usd, note(reason, forward: quote.inCoin ? quote.forward : nil))
        }
    }

    /// A noted row's `note`: why no volatility reproduces the price and by how much, in USD
    /// (and in coin for a coin quote, `forward` given).
    static func note(_ refusal: ImpliedVolatility.Refusal, forward: Double?) -> String {
        func amount(_ usd: Double) -> String {
            let text = String(format: "%.6g USD", usd)
            return forward.map { text + String(format: " (%.6g coin)", usd / $0) } ?? text
        }
        switch refusal {
        case .belowIntrinsic(let price, let intrinsic):
            return price == intrinsic
                ? "at intrinsic: the price equals the discounted intrinsic value \(amount(intrinsic)); no volatility reproduces it"
                : "below intrinsic by \(amount(intrinsic - price)): the price \(amount(price)) is under the discounted intrinsic value \(amount(intrinsic)); no volatility reproduces it"
        case .aboveBound(let price, let bound):
            return
                "at or above the bound by \(amount(price - bound)): the price \(amount(price)) is not under \(amount(bound)), the value at infinite volatility"
        case .unresolvable(let price, let repriced):
            return
                "a hair above intrinsic: no volatility reprices \(amount(price)) to 1e-9 relative (the closest gives \(amount(repriced)))"
        case .invalid(let detail):
            return detail
        }
    }

    /// Why a row's quote gives no volatility: the rule it breaks, and the solver's refusal when
    /// the price is one no volatility reproduces.
    struct QuoteRefusal: Error {
        let rule: String
        var unreproducible: ImpliedVolatility.Refusal?
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
        let price = inCoin ? quote * forward : quote
        if price == 0 {
            // A zero mark (an out-of-the-money option under half a tick) is at its intrinsic value.
            let intrinsic = Foundation.exp(-rate * years) * Swift.max(type == .call ? forward - strike : strike - forward, 0)
            let refusal = ImpliedVolatility.Refusal.belowIntrinsic(price: 0, intrinsic: intrinsic)
            return .failure(QuoteRefusal(rule: "\(refusal)", unreproducible: refusal))
        }
        do throws(ImpliedVolatility.Refusal) {
            return .success(
                try ImpliedVolatility.solve(type, price: price, forward: forward, strike: strike, years: years, rate: rate))
        } catch {
            if case .invalid = error { return .failure(QuoteRefusal(rule: "\(error)")) }
            return .failure(QuoteRefusal(rule: "\(error)", unreproducible: error))
        }
    }

    /// The output CSV (shortest round-trip decimals; a noted row's `iv` and Greeks empty).
    package var csv: String {
        Self.outputHeader + "\n"
            + rows.map { row in
                let greeks = row.value.map { ["\($0.delta)", "\($0.gamma)", "\($0.vega)", "\($0.theta)"] } ?? ["", "", "", ""]
                return
                    ([
                        csvField(row.asset), row.type.rawValue, "\(row.strike)", csvField(row.expiry), "\(row.years)",
                        "\(row.forward)", row.volatility.map { "\($0)" } ?? "", "\(row.price)", "\(row.price / row.forward)",
                    ] + greeks + [csvField(row.note)]).joined(separator: ",") + "\n"
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
