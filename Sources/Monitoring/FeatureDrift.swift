import Features
import Support
import Market

/// `drift`: per model input feature, the population stability index of its values over the
/// monitoring window against its values over the model's training range.
///
/// The features are the model's own (its stored feature specification, `FeatureBuilder`),
/// computed on today's data. A per-asset feature pools every asset's values (an asset not
/// listed, or a window not yet full, gives no value), so one index per feature name: the
/// model scores every asset with the same weights, and its inputs drift as a whole.
package enum FeatureDrift {
    /// One feature's index.
    package struct Feature: Encodable, Sendable, Equatable {
        package let feature: String
        /// `asset` (pooled over assets) or `market`.
        package let scope: String
        /// nil when the training range or the window has no value of it.
        @NullWhenAbsent package var psi: Double?
        package let trainCount: Int
        package let windowCount: Int
        /// The training deciles and both sides' floored shares (empty when `psi` is nil).
        package let edges: [Double]
        package let expected: [Double]
        package let actual: [Double]

        enum CodingKeys: String, CodingKey {
            case feature, scope, psi, edges, expected, actual
            case trainCount = "train_count"
            case windowCount = "window_count"
        }
    }

    /// The index of every feature of `table`, `train` and `window` being dataset rows.
    package static func features(_ table: FeatureTable, train: ClosedRange<Int>?, window: ClosedRange<Int>) -> [Feature] {
        let assets = table.assets.indices
        let perAsset = table.assetFeatures.enumerated().map { feature, name in
            measure(name, scope: "asset", train: train, window: window) { row in
                assets.compactMap { table.value(row: row, asset: $0, feature: feature) }
            }
        }
        let marketWide = table.marketFeatures.enumerated().map { feature, name in
            measure(name, scope: "market", train: train, window: window) { row in
                table.marketValue(row: row, feature: feature).map { [$0] } ?? []
            }
        }
        return perAsset + marketWide
    }

    /// One feature's index from the values `values(row)` gives at each row.
    static func measure(
        _ name: String, scope: String, train: ClosedRange<Int>?, window: ClosedRange<Int>, values: (Int) -> [Double]
    ) -> Feature {
        let reference = train.map { $0.flatMap(values) } ?? []
        let recent = window.flatMap(values)
        let stability = PopulationStability(reference: reference, recent: recent)
        return Feature(
            feature: name, scope: scope, psi: stability?.index, trainCount: reference.count, windowCount: recent.count,
            edges: stability?.edges ?? [], expected: stability?.expected ?? [], actual: stability?.actual ?? [])
    }
}
