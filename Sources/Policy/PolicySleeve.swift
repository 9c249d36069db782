import Market
import Portfolio
import Support
import WindowRules

/// One sleeve of a sleeve-mixture policy: a baseline rule's portfolio (decided from the
/// same trailing window the baseline uses in backtests and evaluation) or all cash. The
/// policy mixes its sleeves' weights (see `PolicyNetwork`), so an untrained policy is a
/// sound baseline and training moves it only where the data say.
///
/// Spelled in configs and manifests as the baseline's CLI name (`equal-weight`,
/// `inverse-vol`, `min-variance`, `max-sharpe`, `risk-parity`, `hrp`) or `cash`; the online
/// rules are not sleeves (their portfolios depend on their own past decisions).
package enum PolicySleeve: Hashable, Sendable, Codable, CustomStringConvertible {
    case cash
    case baseline(WindowRule)

    /// The baseline rules a sleeve may follow.
    package static let rules: [WindowRule] = WindowRule.allCases

    /// Every sleeve, in the order of the spellings the error messages list.
    package static let all: [PolicySleeve] = rules.map { .baseline($0) } + [.cash]

    /// The estimation window of the baseline sleeves (the baselines' default, so a sleeve is
    /// exactly the baseline a report compares against).
    package static let window = 90

    /// The spelling in configs and manifests.
    package var description: String {
        switch self {
        case .cash: "cash"
        case .baseline(let rule): rule.rawValue
        }
    }

    /// Reads a spelling; any other text is an error listing the valid ones.
    package init(from decoder: any Decoder) throws {
        self = try NamedChoice.decode(decoder, Self.all.map { ($0.description, $0) })
    }

    /// Writes the spelling.
    package func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    /// The sleeve's weights at the view's row, one per asset and cash last (summing to 1).
    /// A baseline that cannot decide yet (its window does not fit: the first rows of the
    /// data, or no asset priced through the window) holds equal weight over the listed
    /// assets instead, so every row has a sleeve portfolio.
    package func weights(_ view: MarketView) -> [Double] {
        let market = view.history
        let n = market.assets.count
        switch self {
        case .cash:
            return Array(repeating: 0, count: n) + [1]
        case .baseline(let rule):
            if let allocation = try? rule.allocate(view, window: Self.window) {
                let risky = allocation.weights.map { max($0, 0) }
                return risky + [max(0, 1 - risky.reduce(0, +))]
            }
            let listed = (0..<n).map { market.price(row: view.row, asset: $0) == nil ? 0.0 : 1.0 }
            let count = listed.reduce(0, +)
            return count == 0 ? listed + [1] : listed.map { $0 / count } + [0]
        }
    }
}
