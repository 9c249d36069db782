import ArgumentParser
import Foundation
import Portfolio
import Support

/// `--aum` (contract section 11): the starting capital in USD that market impact is charged
/// at; one value for `backtest`, a comma-separated list for `evaluate`.
enum AssetsUnderManagementOption {
    /// The most values `evaluate --aum` may list: each one reruns every allocator.
    static let mostValues = 12

    /// The values of `text` in the order given: one, or with `list` up to `mostValues`
    /// separated by commas; each a plain decimal (`1e6`, `2500000`) in
    /// `MarketImpact.capitalRange`, none twice.
    /// - Throws: `ValidationError` (64) naming `--aum` and the rule broken.
    static func parse(_ text: String, list: Bool) throws -> [Double] {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        guard list || parts.count == 1 else {
            throw ValidationError("--aum takes one value in backtest (evaluate takes a list); found '\(text.prefix(80))'")
        }
        guard parts.count <= mostValues else {
            throw ValidationError("--aum lists at most \(mostValues) values; found \(parts.count)")
        }
        var values: [Double] = []
        for part in parts {
            let word = part.trimmingCharacters(in: .whitespaces)
            guard let value = DecimalNumber.parse(word), MarketImpact.capitalRange.contains(value) else {
                let found = "'\(word.prefix(40))'" + (parts.count > 1 ? " in '\(text.prefix(80))'" : "")
                throw ValidationError(MarketImpact.capitalRefusal("--aum", found: found))
            }
            guard !values.contains(value) else { throw ValidationError("--aum lists \(word) twice") }
            values.append(value)
        }
        return values
    }
}
