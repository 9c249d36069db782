import Market

/// Feature values per row: per-asset features `[T, N, Fa]` and market-wide ones `[T, Fm]`,
/// `nan` where a value is missing (asset not listed, window incomplete).
package struct FeatureTable: Sendable {
    /// Row dates.
    package let dates: [Timestamp]
    /// Asset names, in dataset order.
    package let assets: [String]
    /// Per-asset feature names (Fa).
    package let assetFeatures: [String]
    /// Market-wide feature names (Fm), exogenous ones included.
    package let marketFeatures: [String]
    /// `[T, N, Fa]` row-major.
    package var assetValues: [Double]
    /// `[T, Fm]` row-major.
    package var marketValues: [Double]

    /// A per-asset value, nil when missing.
    package func value(row: Int, asset: Int, feature: Int) -> Double? {
        let value = assetValues[(row * assets.count + asset) * assetFeatures.count + feature]
        return value.isNaN ? nil : value
    }

    /// A market-wide value, nil when missing.
    package func marketValue(row: Int, feature: Int) -> Double? {
        let value = marketValues[row * marketFeatures.count + feature]
        return value.isNaN ? nil : value
    }

    /// The long-form CSV `date,asset,feature,value` for rows in `rows` (market-wide features
    /// first with an empty asset, then each asset in dataset order), missing values omitted;
    /// numbers in Swift's shortest round-trip form.
    package func longCSV(rows: Range<Int>) -> String {
        var lines = ["date,asset,feature,value"]
        for row in rows {
            let date = dates[row].description
            for (feature, name) in marketFeatures.enumerated() {
                if let value = marketValue(row: row, feature: feature) { lines.append("\(date),,\(name),\(value)") }
            }
            for (asset, assetName) in assets.enumerated() {
                for (feature, name) in assetFeatures.enumerated() {
                    if let value = value(row: row, asset: asset, feature: feature) {
                        lines.append("\(date),\(assetName),\(name),\(value)")
                    }
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
