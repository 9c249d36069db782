import Features
import Market
import Regimes
import Support

/// `regimes`: how often each regime label was the one the job saw over the monitoring
/// window (the history files' `regime.label`) against how often the model's regime filter
/// saw it over the training range (the forward filter, never smoothed, at each training
/// row: what the job would have seen had it run then).
package enum RegimeShares {
    /// One label's shares (0 where it never occurs; nil on a side that has no labels).
    package struct Label: Encodable, Sendable, Equatable {
        package let label: String
        @NullWhenAbsent package var windowShare: Double?
        @NullWhenAbsent package var trainShare: Double?

        enum CodingKeys: String, CodingKey {
            case label
            case windowShare = "window_share"
            case trainShare = "train_share"
        }
    }

    /// Every label either side saw, in label order.
    /// - Parameters:
    ///   - window: the labels of the history files in the window (nil for a file without one).
    ///   - model: the version's regime model, nil for a model without one.
    package static func labels(
        window: [String?], model: GaussianHMM?, market: Dataset, table: FeatureTable, train: ClosedRange<Int>?
    ) -> [Label] {
        let windowShares = shares(window.compactMap { $0 })
        var trainShares: [String: Double] = [:]
        if let model, let train, let observations = try? RegimeObservations(dataset: market, table: table) {
            let filtered = FilteredRegime.atRows(model, observations: observations, rows: market.rowCount)
            trainShares = shares(train.compactMap { filtered[$0]?.label.description })
        }
        let names = Set(windowShares.keys).union(trainShares.keys).sorted()
        return names.map { name in
            Label(
                label: name, windowShare: windowShares.isEmpty ? nil : windowShares[name] ?? 0,
                trainShare: trainShares.isEmpty ? nil : trainShares[name] ?? 0)
        }
    }

    /// Each distinct label's share of `labels`.
    static func shares(_ labels: [String]) -> [String: Double] {
        labels.reduce(into: [:]) { $0[$1, default: 0] += 1 / Double(labels.count) }
    }
}
