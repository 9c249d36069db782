import Support

/// The risk-budget policy (`budget:` in a training config; docs/policy.md), three layers:
///
/// 1. **Core**: long-only minimum variance on the shrunk EWMA covariance of the last `window`
///    returns (`CovarianceEstimator.shrunkEWMA`, half-life `half_life`), expressed as risk
///    budgets: for long-only minimum variance the risk contributions are the weights, so the
///    anchor budgets are the min-variance weights, floored at `floor / m` and renormalised
///    (`anchor: risk-parity` takes equal budgets instead).
/// 2. **Exposure**, outside the network: `min(1, target_vol / forecast vol of the core) x
///    gate`, the gate from the regime model (`RegimeGate`); the rest is cash.
/// 3. **The learned tilt**: `b = softmax(log b_anchor + tau tanh(f(x)))` over the core's
///    assets, `f` the shared per-asset scorer whose last layer starts at zero, turned into
///    weights by the risk-budgeting layer. Untrained (or `tau: 0`) it is the anchor exactly.
///
/// A no-trade band: when the new risky weights are within `band` (sum of absolute
/// differences) of the held ones, the policy holds. A cadence: with `rebalance: k` it trades
/// only on dates `k` days apart (days since 1970-01-01 congruent to `rebalance_offset` mod k)
/// and holds in between (it trades on any date while it holds nothing).
package struct BudgetDesign: Codable, Sendable, Hashable {
    /// The bound of the log-budget tilt.
    package var tau = 0.5
    /// Returns in the covariance window.
    package var window = 120
    /// The EWMA half-life, in periods.
    package var halfLife = 30.0
    /// The no-trade band, as a sum of absolute weight differences.
    package var band = 0.0
    /// Where the budgets start.
    package var anchor = Anchor.minimumVariance
    /// The anchor's smallest budget, as a share of an equal budget.
    package var floor = 0.05
    /// The annualised volatility the core is scaled to (nil: always fully invested before
    /// the gate).
    package var targetVolatility: Double? = 0.6
    /// The regime gate (nil: none).
    package var gate: RegimeGate.Spec? = RegimeGate.Spec()
    /// Days between trading dates (1: every period).
    package var rebalance = 1
    /// Which day of the cycle trades: days since 1970-01-01 modulo `rebalance`.
    package var rebalanceOffset = 0

    /// Whether the policy trades at a date `day` days after 1970-01-01.
    package func trades(onDay day: Int) -> Bool {
        rebalance <= 1 || ((day % rebalance) + rebalance) % rebalance == rebalanceOffset
    }

    /// The anchor budgets.
    package enum Anchor: String, Codable, Sendable, CaseIterable {
        case minimumVariance = "min-variance"
        case riskParity = "risk-parity"

        /// Reads a spelling; another is an error listing the valid ones.
        package init(from decoder: any Decoder) throws {
            self = try NamedChoice.decode(decoder, Self.allCases.map { ($0.rawValue, $0) })
        }
    }

    package init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case tau, window, band, anchor, floor, gate, rebalance
        case halfLife = "half_life"
        case targetVolatility = "target_vol"
        case rebalanceOffset = "rebalance_offset"
    }

    /// Reads the spec, each key optional; an unknown key is an error. `target_vol: null` and
    /// `gate: null` switch those parts off.
    package init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = BudgetDesign()
        tau = try c.decodeIfPresent(Double.self, forKey: .tau) ?? d.tau
        window = try c.decodeIfPresent(Int.self, forKey: .window) ?? d.window
        halfLife = try c.decodeIfPresent(Double.self, forKey: .halfLife) ?? d.halfLife
        band = try c.decodeIfPresent(Double.self, forKey: .band) ?? d.band
        anchor = try c.decodeIfPresent(Anchor.self, forKey: .anchor) ?? d.anchor
        floor = try c.decodeIfPresent(Double.self, forKey: .floor) ?? d.floor
        targetVolatility =
            c.contains(.targetVolatility)
            ? try c.decodeNil(forKey: .targetVolatility) ? nil : c.decode(Double.self, forKey: .targetVolatility)
            : d.targetVolatility
        rebalance = try c.decodeIfPresent(Int.self, forKey: .rebalance) ?? d.rebalance
        rebalanceOffset = try c.decodeIfPresent(Int.self, forKey: .rebalanceOffset) ?? d.rebalanceOffset
        gate = c.contains(.gate) ? try c.decodeNil(forKey: .gate) ? nil : c.decode(RegimeGate.Spec.self, forKey: .gate) : d.gate
    }

    /// Writes every key (`null` for a part switched off).
    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(tau, forKey: .tau)
        try c.encode(window, forKey: .window)
        try c.encode(halfLife, forKey: .halfLife)
        try c.encode(band, forKey: .band)
        try c.encode(anchor, forKey: .anchor)
        try c.encode(floor, forKey: .floor)
        try c.encode(targetVolatility, forKey: .targetVolatility)
        try c.encode(gate, forKey: .gate)
        if rebalance != 1 || rebalanceOffset != 0 {
            try c.encode(rebalance, forKey: .rebalance)
            try c.encode(rebalanceOffset, forKey: .rebalanceOffset)
        }
    }

    /// Problems with the values, as sentences naming the key.
    package var problems: [String] {
        var found: [String] = []
        if !(0...10).contains(tau) { found.append("budget.tau must be from 0 to 10; found \(tau)") }
        if !(2...10_000).contains(window) { found.append("budget.window must be from 2 to 10000; found \(window)") }
        if !(halfLife >= 1 && halfLife <= 10_000) { found.append("budget.half_life must be from 1 to 10000; found \(halfLife)") }
        if !(0...2).contains(band) { found.append("budget.band must be from 0 to 2; found \(band)") }
        if !(floor > 0 && floor <= 1) { found.append("budget.floor must be in (0, 1]; found \(floor)") }
        if let target = targetVolatility, !(target > 0 && target <= 10) {
            found.append("budget.target_vol must be in (0, 10] or null; found \(target)")
        }
        if !(1...90).contains(rebalance) { found.append("budget.rebalance must be from 1 to 90 days; found \(rebalance)") }
        if !(0..<max(rebalance, 1)).contains(rebalanceOffset) {
            found.append("budget.rebalance_offset must be from 0 to rebalance - 1; found \(rebalanceOffset)")
        }
        return found + (gate?.problems ?? [])
    }
}
