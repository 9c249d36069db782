import Market

/// The regime as known at a date: the forward filter's probabilities at the last observation.
package struct FilteredRegime: Sendable, Equatable {
    /// The most probable state (the first on ties).
    package let label: RegimeLabel
    /// Its probability.
    package let probability: Double
    /// Every state's probability, in state order.
    package let probabilities: [Double]

    /// The regime from the last row of `observations` under `model`; nil without observations.
    package init?(_ model: GaussianHMM, observations: [[Double]]) {
        guard let last = model.filteredProbabilities(observations).last else { return nil }
        self.init(probabilities: last)
    }

    /// The regime of one row of filtered probabilities; nil for none.
    package init?(probabilities: [Double]) {
        guard !probabilities.isEmpty else { return nil }
        let best = probabilities.indices.max { probabilities[$0] < probabilities[$1] }!
        label = RegimeLabel(state: best)
        probability = probabilities[best]
        self.probabilities = probabilities
    }

    /// The regime at each of `rows` dataset rows (nil before the first observation): the
    /// filter at the last observation on or before the row, which is what the daily job
    /// computes from the market truncated at that row (the forward filter at an observation
    /// reads only the observations up to it).
    package static func atRows(
        _ model: GaussianHMM, observations: RegimeObservations, rows: Int
    ) -> [FilteredRegime?] {
        let filtered = model.filteredProbabilities(observations.values)
        var result = [FilteredRegime?](repeating: nil, count: rows)
        var next = 0
        var current: FilteredRegime?
        for row in 0..<rows {
            while next < observations.rows.count && observations.rows[next] <= row {
                current = FilteredRegime(probabilities: filtered[next])
                next += 1
            }
            result[row] = current
        }
        return result
    }

    /// `r0 -> p0, r1 -> p1, ...`.
    package var probabilitiesByLabel: [String: Double] {
        Dictionary(uniqueKeysWithValues: probabilities.enumerated().map { (RegimeLabel(state: $0).description, $1) })
    }
}
