import Foundation
import Support
import Yams

/// The limits file of the daily job (contract section 6), validated: every key known, every
/// cap a non-negative number, `min_cash` at most 1. With the cash line free, holding only
/// cash satisfies every limit, so no combination of valid caps is infeasible.
package struct RiskLimits: Sendable, Equatable {
    /// Weights must be non-negative.
    package var longOnly = true
    /// A cap on every asset's absolute weight.
    package var maxWeight: Double?
    /// Per-asset caps (tighter of this and `maxWeight` applies).
    package var assetMax: [String: Double] = [:]
    /// A cap on the sum of absolute risky weights.
    package var maxGross: Double?
    /// A floor on the cash weight.
    package var minCash: Double?
    /// A cap on `sum |w - w_previous|` over risky assets (soft: hard limits win).
    package var maxTurnover: Double?
    /// A cap on the ex-ante annualised volatility.
    package var targetVolatility: Double?
    /// A cap on the historical expected shortfall at `esConfidence`.
    package var maxExpectedShortfall: Double?
    /// The confidence of `maxExpectedShortfall` (default 0.975).
    package var esConfidence = 0.975
    /// Gross caps by regime label.
    package var regimeMaxGross: [String: Double] = [:]
    /// The fewest calendar days to expiry a held futures contract may have: an asset held
    /// through a contract closer to expiry is capped at 0 (contract section 7).
    package var minDaysToExpiry: Double?
    /// The largest `|vega|` of an options overlay, NAV per volatility point.
    package var vegaBudget: Double?
    /// Vega budgets by regime label (the tighter of it and `vegaBudget` applies).
    package var regimeVegaBudget: [String: Double] = [:]
    /// The largest short gamma of an overlay (`max(0, -gamma)`, fraction of NAV).
    package var maxShortGamma: Double?
    /// The largest premium an overlay pays in one decision (fraction of NAV).
    package var maxPremium: Double?
    /// The largest `|weight + overlay delta|` of each asset (fraction of NAV); also a cap on
    /// the weight itself, so that holding no options always meets it.
    package var maxNetDelta: Double?
    /// Where each name under `asset_max` and `regime_max_gross` was written
    /// (`file:line:column`), so a name the model and data do not have can be pointed at.
    package var namePlaces: [String: String] = [:]

    /// No limits but long-only.
    package init() {}

    /// A problem with a limits file; `description` names the file, line and rule.
    package struct Problem: ReportableError, Equatable {
        package let description: String
        /// A limits file that is wrong, or limits that cannot hold, is bad data (65).
        package var exitStatus: Int32 { ExitStatus.badData }
    }

    static let keys = [
        "long_only", "max_weight", "asset_max", "max_gross", "min_cash", "max_turnover", "target_vol", "max_es", "es_confidence",
        "regime_max_gross", "min_days_to_expiry", "vega_budget", "regime_vega_budget", "max_short_gamma", "max_premium",
        "max_net_delta",
    ]

    /// Parses and validates limits YAML.
    /// - Parameter file: the path, for messages.
    package init(yaml text: String, file: String) throws(Problem) {
        self.init()
        func fail(_ node: Node?, _ message: String) -> Problem {
            Problem(description: "\(file)\(node?.mark.map { ":\($0.line):\($0.column)" } ?? ""): \(message)")
        }
        let root: Node?
        do { root = try YAMLGuard.compose(text, file: file) } catch { throw Problem(description: error.description) }
        guard let root else { return }
        guard let mapping = root.mapping else { throw fail(root, "the top level must be a mapping of limit names to values") }
        func fraction(_ node: Node, _ key: String, upTo: Double? = nil) throws(Problem) -> Double {
            // Plain decimals only: YAML would also read 0x10 or .inf as numbers.
            guard node.scalar != nil, let value = node.string.flatMap(DecimalNumber.parse), value.isFinite else {
                throw fail(node, "\(key) must be a number; found '\(node.string ?? "")'")
            }
            guard value >= 0 else { throw fail(node, "\(key) must not be negative; found \(value)") }
            if let upTo, value > upTo { throw fail(node, "\(key) must be at most \(upTo); found \(value)") }
            return value
        }
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            switch key {
            case "long_only":
                guard let flag = value.bool else { throw fail(value, "long_only must be true or false") }
                longOnly = flag
            case "max_weight": maxWeight = try fraction(value, key)
            case "max_gross": maxGross = try fraction(value, key)
            case "min_cash": minCash = try fraction(value, key, upTo: 1)
            case "max_turnover": maxTurnover = try fraction(value, key)
            case "target_vol": targetVolatility = try fraction(value, key)
            case "max_es": maxExpectedShortfall = try fraction(value, key)
            case "min_days_to_expiry": minDaysToExpiry = try fraction(value, key, upTo: 3650)
            case "vega_budget": vegaBudget = try fraction(value, key)
            case "max_short_gamma": maxShortGamma = try fraction(value, key)
            case "max_premium": maxPremium = try fraction(value, key, upTo: 1)
            case "max_net_delta": maxNetDelta = try fraction(value, key)
            case "es_confidence":
                guard let c = value.string.flatMap(DecimalNumber.parse), c > 0, c < 1 else {
                    throw fail(value, "es_confidence must be in (0, 1), e.g. 0.975")
                }
                esConfidence = c
            case "asset_max", "regime_max_gross", "regime_vega_budget":
                guard let entries = value.mapping else { throw fail(value, "\(key) must map names to caps") }
                for (nameNode, capNode) in entries {
                    let cap = try fraction(capNode, "\(key).\(nameNode.string ?? "")")
                    namePlaces["\(key).\(nameNode.string ?? "")"] =
                        "\(file)\(nameNode.mark.map { ":\($0.line):\($0.column)" } ?? "")"
                    switch key {
                    case "asset_max": assetMax[nameNode.string ?? ""] = cap
                    case "regime_max_gross": regimeMaxGross[nameNode.string ?? ""] = cap
                    default: regimeVegaBudget[nameNode.string ?? ""] = cap
                    }
                }
            default:
                throw fail(keyNode, "unknown limit '\(key)'; valid limits: \(Self.keys.joined(separator: ", "))")
            }
        }
    }

    /// Refuses caps that would silently do nothing: an `asset_max` for an asset the data do
    /// not have, or a `regime_max_gross` for a label the model does not produce (contract
    /// section 6).
    /// - Parameters:
    ///   - assets: the data's assets.
    ///   - regimeLabels: the model's regime labels (empty without a regime model); nil when
    ///     no model decides (baselines see no regime, so regime caps never apply to them).
    package func checkNames(assets: [String], regimeLabels: [String]?) throws(Problem) {
        for name in assetMax.keys.sorted() where !assets.contains(name) {
            throw Problem(
                description:
                    "\(namePlaces["asset_max.\(name)"] ?? "limits"): asset_max names '\(name)', which the data do not have; assets: \(assets.joined(separator: ", "))"
            )
        }
        guard let regimeLabels else { return }
        for (key, caps) in [("regime_max_gross", regimeMaxGross), ("regime_vega_budget", regimeVegaBudget)] {
            for label in caps.keys.sorted() where !regimeLabels.contains(label) {
                let known =
                    regimeLabels.isEmpty ? "the model has no regime model" : "labels: \(regimeLabels.joined(separator: ", "))"
                throw Problem(
                    description:
                        "\(namePlaces["\(key).\(label)"] ?? "limits"): \(key) names '\(label)', which the model does not produce; \(known)"
                )
            }
        }
    }

    /// Reads and validates a limits file (`InputFile` rules, then the YAML's).
    package static func read(_ path: String) throws -> RiskLimits {
        try RiskLimits(yaml: InputFile.text(path, limit: InputFile.settingsLimit), file: path)
    }
}
