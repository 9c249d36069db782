/// The Euclidean projection onto the probability simplex `{w : w >= 0, sum w = 1}`
/// (Held, Wolfe and Crowder's sort-based algorithm; exact in O(m log m)).
package enum SimplexProjection {
    /// `argmin_{w in simplex} ||w - v||`.
    /// - Precondition: `v` is non-empty and finite.
    package static func project(_ v: [Double]) -> [Double] {
        precondition(!v.isEmpty && v.allSatisfy(\.isFinite), "SimplexProjection: need finite values")
        let sorted = v.sorted(by: >)
        var cumulative = 0.0
        var theta = 0.0
        for (index, value) in sorted.enumerated() {
            cumulative += value
            let candidate = (cumulative - 1) / Double(index + 1)
            if value - candidate > 0 { theta = candidate }
        }
        return v.map { Swift.max($0 - theta, 0) }
    }
}
