/// A regime's label as files, limits and reports spell it: `r0` for the calmest state (states
/// are ordered by the variance of the first observation), up to `r(K-1)`.
package struct RegimeLabel: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The state's index in the fitted model.
    package let state: Int

    package init(state: Int) { self.state = state }

    /// The labels of a model with `states` states, in state order.
    package static func all(_ states: Int) -> [RegimeLabel] { (0..<states).map(RegimeLabel.init(state:)) }

    package var description: String { "r\(state)" }

    package static func < (lhs: RegimeLabel, rhs: RegimeLabel) -> Bool { lhs.state < rhs.state }

    /// Parses `rN` (N a whole number below 1,000); nil for anything else.
    package init?(parsing text: String) {
        guard text.first == "r", let state = Int(text.dropFirst()), state >= 0, state < 1_000,
            "r\(state)" == text
        else { return nil }
        self.init(state: state)
    }
}
