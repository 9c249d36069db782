import Support

/// The regime gate of the risk-budget policy: the share of the core held, 1 in calm regimes
/// and `floor` in the turbulent one, from the regime model's filtered probabilities.
///
/// The turbulent state is the model's last (states are sorted by the variance of the market
/// return, so the last is the most volatile). The gate closes when its filtered probability
/// rises above `enter` and opens again only when it falls below `exit` (hysteresis, so a
/// probability hovering near one threshold does not trade back and forth), and it acts with
/// a one-period delay: the decision at row t reads the probability filtered at row t - 1
/// (Nystrup et al.'s protocol; the filter itself is causal, the delay makes the gate robust
/// to a probability that moves on the day's own close).
package enum RegimeGate {
    /// The gate's thresholds and floor (`gate:` of `budget:`).
    package struct Spec: Codable, Sendable, Hashable {
        /// The turbulent state's probability above which the gate closes.
        package var enter = 0.7
        /// The probability below which it opens again.
        package var exit = 0.3
        /// The share of the core held while the gate is closed.
        package var floor = 0.5

        package init() {}

        enum CodingKeys: String, CodingKey, CaseIterable { case enter, exit, floor }

        /// Reads the spec, each key optional; an unknown key is an error.
        package init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let d = Spec()
            enter = try c.decodeIfPresent(Double.self, forKey: .enter) ?? d.enter
            exit = try c.decodeIfPresent(Double.self, forKey: .exit) ?? d.exit
            floor = try c.decodeIfPresent(Double.self, forKey: .floor) ?? d.floor
        }

        /// Problems with the values, as sentences naming the key.
        package var problems: [String] {
            guard exit >= 0, exit <= enter, enter <= 1 else {
                return ["budget.gate needs 0 <= exit <= enter <= 1; found exit \(exit), enter \(enter)"]
            }
            return (0...1).contains(floor) ? [] : ["budget.gate.floor must be from 0 to 1; found \(floor)"]
        }
    }

    /// The gate at every row, from the turbulent state's filtered probability at each row
    /// (nil before the model's first observation: the gate stays open). Row 0 is open.
    package static func path(_ spec: Spec, turbulentProbability: [Double?]) -> [Double] {
        var closed = false
        var gates: [Double] = []
        gates.reserveCapacity(turbulentProbability.count)
        for row in turbulentProbability.indices {
            if row > 0, let p = turbulentProbability[row - 1] {
                if !closed && p > spec.enter { closed = true } else if closed && p < spec.exit { closed = false }
            }
            gates.append(closed ? spec.floor : 1)
        }
        return gates
    }
}
