import Foundation
import Market
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
    package var regimeMaxGross: [RegimeLabel: Double] = [:]
    /// The fewest calendar days to expiry a held futures contract may have: an asset held
    /// through a contract closer to expiry is capped at 0 (contract section 7).
    package var minDaysToExpiry: Double?
    /// The largest `|vega|` of an options overlay, NAV per volatility point.
    package var vegaBudget: Double?
    /// Vega budgets by regime label (the tighter of it and `vegaBudget` applies).
    package var regimeVegaBudget: [RegimeLabel: Double] = [:]
    /// The largest short gamma of an overlay (`max(0, -gamma)`, fraction of NAV).
    package var maxShortGamma: Double?
    /// The largest premium an overlay pays in one decision (fraction of NAV).
    package var maxPremium: Double?
    /// The largest `|weight + overlay delta|` of each asset (fraction of NAV); also a cap on
    /// the weight itself, so that holding no options always meets it.
    package var maxNetDelta: Double?
    /// The keys a limits file wrote.
    package var written: Set<LimitName> = []
    /// Where each name under `asset_max`, `regime_max_gross` and `regime_vega_budget` was
    /// written (`file:line:column`), so a name the model and data do not have can be pointed at.
    package var namePlaces: [LimitBinding: String] = [:]

    /// No limits but long-only.
    package init() {}

    /// A problem with a limits file; `description` names the file, line and rule.
    package struct Problem: ReportableError, Equatable {
        package let description: String
        /// A limits file that is wrong, or limits that cannot hold, is bad data (65).
        package var exitStatus: Int32 { ExitStatus.badData }
    }

    /// Parses and validates limits YAML.
    /// - Parameter file: the path, for messages.
    package init(yaml text: String, file: String) throws(Problem) {
        self.init()
        let root: Node?
        do { root = try YAMLGuard.compose(text, file: file) } catch { throw Problem(description: error.description) }
        guard let root else { return }
        let reader = LimitsReader(file: file)
        guard let mapping = root.mapping else {
            throw reader.fail(root, "the top level must be a mapping of limit names to values")
        }
        for (keyNode, value) in mapping {
            guard let limit = LimitName(rawValue: keyNode.string ?? "") else {
                throw reader.fail(
                    keyNode,
                    "unknown limit '\(keyNode.string ?? "")'; valid limits: \(LimitName.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            try read(limit, from: value, reader)
            written.insert(limit)
        }
    }

    /// Sets `limit` from its YAML value.
    private mutating func read(_ limit: LimitName, from value: Node, _ reader: LimitsReader) throws(Problem) {
        switch limit {
        case .longOnly:
            guard let flag = value.bool else { throw reader.fail(value, "long_only must be true or false") }
            longOnly = flag
        case .maxWeight: maxWeight = try reader.fraction(value, limit.rawValue)
        case .maxGross: maxGross = try reader.fraction(value, limit.rawValue)
        case .minCash: minCash = try reader.fraction(value, limit.rawValue, upTo: 1)
        case .maxTurnover: maxTurnover = try reader.fraction(value, limit.rawValue)
        case .targetVolatility: targetVolatility = try reader.fraction(value, limit.rawValue)
        case .maxExpectedShortfall: maxExpectedShortfall = try reader.fraction(value, limit.rawValue)
        case .minDaysToExpiry: minDaysToExpiry = try reader.fraction(value, limit.rawValue, upTo: 3650)
        case .vegaBudget: vegaBudget = try reader.fraction(value, limit.rawValue)
        case .maxShortGamma: maxShortGamma = try reader.fraction(value, limit.rawValue)
        case .maxPremium: maxPremium = try reader.fraction(value, limit.rawValue, upTo: 1)
        case .maxNetDelta: maxNetDelta = try reader.fraction(value, limit.rawValue)
        case .esConfidence:
            guard let c = value.string.flatMap(DecimalNumber.parse), c > 0, c < 1 else {
                throw reader.fail(value, "es_confidence must be in (0, 1), e.g. 0.975")
            }
            esConfidence = c
        case .assetMax:
            for (name, cap) in try reader.caps(value, limit) {
                assetMax[name.text] = cap
                namePlaces[LimitBinding(limit, asset: name.text)] = name.place
            }
        case .regimeMaxGross, .regimeVegaBudget:
            for (name, cap) in try reader.caps(value, limit) {
                guard let label = RegimeLabel(parsing: name.text) else {
                    throw Problem(
                        description: "\(name.place): \(limit.rawValue) names '\(name.text)'; regime labels are r0, r1, r2, ...")
                }
                if limit == .regimeMaxGross { regimeMaxGross[label] = cap } else { regimeVegaBudget[label] = cap }
                namePlaces[LimitBinding(limit, asset: name.text)] = name.place
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
    package func checkNames(assets: [String], regimeLabels: [RegimeLabel]?) throws(Problem) {
        for name in assetMax.keys.sorted() where !assets.contains(name) {
            throw Problem(
                description:
                    "\(namePlaces[LimitBinding(.assetMax, asset: name)] ?? "limits"): asset_max names '\(name)', which the data do not have; assets: \(assets.joined(separator: ", "))"
            )
        }
        guard let regimeLabels else { return }
        for (limit, caps) in [(LimitName.regimeMaxGross, regimeMaxGross), (.regimeVegaBudget, regimeVegaBudget)] {
            for label in caps.keys.sorted() where !regimeLabels.contains(label) {
                let known =
                    regimeLabels.isEmpty
                    ? "the model has no regime model" : "labels: \(regimeLabels.map(\.description).joined(separator: ", "))"
                throw Problem(
                    description:
                        "\(namePlaces[LimitBinding(limit, asset: label.description)] ?? "limits"): \(limit.rawValue) names '\(label)', which the model does not produce; \(known)"
                )
            }
        }
    }

    /// The limits set, by the file or by value: every cap with a value, and `long_only` and
    /// `es_confidence` when the file wrote them. Only these are counted when they bind.
    package var set: Set<LimitName> {
        let caps: [(LimitName, Bool)] = [
            (.maxWeight, maxWeight != nil), (.assetMax, !assetMax.isEmpty), (.maxGross, maxGross != nil),
            (.minCash, minCash != nil), (.maxTurnover, maxTurnover != nil), (.targetVolatility, targetVolatility != nil),
            (.maxExpectedShortfall, maxExpectedShortfall != nil), (.regimeMaxGross, !regimeMaxGross.isEmpty),
            (.minDaysToExpiry, minDaysToExpiry != nil), (.vegaBudget, vegaBudget != nil),
            (.regimeVegaBudget, !regimeVegaBudget.isEmpty), (.maxShortGamma, maxShortGamma != nil),
            (.maxPremium, maxPremium != nil), (.maxNetDelta, maxNetDelta != nil),
        ]
        return written.union(caps.filter(\.1).map(\.0))
    }

    /// Reads and validates a limits file (`InputFile` rules, then the YAML's).
    package static func read(_ path: String) throws -> RiskLimits {
        try RiskLimits(yaml: InputFile.text(path, limit: InputFile.settingsLimit), file: path)
    }
}
