import Foundation
import Support

/// The population stability index of contract section 12: how far a recent sample's
/// distribution has moved from a reference sample's.
///
/// Bins: the reference's deciles `q_1 .. q_9` (Appendix A quantiles at 0.1 .. 0.9) as edges,
/// open at both ends; a value `x` falls in bin `b` = the number of edges strictly below it,
/// so bin 0 is `x <= q_1` and bin 9 is `x > q_9` (NumPy's `searchsorted(edges, x, 'left')`).
/// Shares are counts over the sample size, each floored at `floor` (no renormalisation);
/// `PSI = sum_b (a_b - e_b) ln(a_b / e_b)` with `a` the recent shares and `e` the reference's,
/// summed in bin order.
package struct PopulationStability: Sendable, Equatable {
    /// The reference's deciles.
    package let edges: [Double]
    /// The reference's shares per bin (floored).
    package let expected: [Double]
    /// The recent sample's shares per bin (floored).
    package let actual: [Double]
    /// The index.
    package let index: Double

    /// The smallest share a bin counts with (an empty bin would make the log infinite).
    package static let floor = 1e-4
    /// The quantile levels of the edges.
    package static let levels = (1...9).map { Double($0) / 10 }

    /// The index of `recent` against `reference`; nil when either is empty.
    package init?(reference: [Double], recent: [Double]) {
        guard !reference.isEmpty, !recent.isEmpty else { return nil }
        let sorted = reference.sorted()
        edges = Self.levels.map { Statistics.quantile(sorted, $0) }
        expected = Self.shares(sorted, edges: edges)
        actual = Self.shares(recent, edges: edges)
        var total = 0.0
        for (a, e) in zip(actual, expected) { total += (a - e) * Foundation.log(a / e) }
        index = total
    }

    /// The floored share of `values` in each of the `edges.count + 1` bins.
    static func shares(_ values: [Double], edges: [Double]) -> [Double] {
        var counts = [Int](repeating: 0, count: edges.count + 1)
        for value in values { counts[edges.count(where: { $0 < value })] += 1 }
        let n = Double(values.count)
        return counts.map { Swift.max(Double($0) / n, floor) }
    }
}
