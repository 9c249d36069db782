/// Per-feature mean and standard deviation fitted on a training range only, stored with a
/// model version and applied unchanged later (`docs/features.md`, "Normalisation").
package struct FeatureNormalisation: Codable, Sendable, Equatable {
    /// The statistics of one feature.
    package struct Statistics: Codable, Sendable, Equatable {
        /// The mean of the feature's present values in the training range.
        package let mean: Double
        /// Their sample standard deviation (n - 1); 1 when zero or undefined.
        package let standardDeviation: Double

        enum CodingKeys: String, CodingKey {
            case mean
            case standardDeviation = "sd"
        }
    }

    /// Statistics by feature name, per-asset features pooled across assets.
    package let features: [String: Statistics]
    /// Normalised values are clipped to `[-clip, clip]`.
    package let clip: Double

    /// Fits on `rows` of `table` (the training range): nothing outside it is read.
    package init(fitting table: FeatureTable, rows: Range<Int>, clip: Double) {
        var statistics: [String: Statistics] = [:]
        let n = table.assets.count
        for (feature, name) in table.assetFeatures.enumerated() {
            var values: [Double] = []
            for row in rows {
                for asset in 0..<n {
                    if let value = table.value(row: row, asset: asset, feature: feature) { values.append(value) }
                }
            }
            statistics[name] = Self.statistics(values)
        }
        for (feature, name) in table.marketFeatures.enumerated() {
            statistics[name] = Self.statistics(rows.compactMap { table.marketValue(row: $0, feature: feature) })
        }
        self.features = statistics
        self.clip = clip
    }

    /// `clamp((x - mean) / sd, -clip, clip)` for every present value; missing stays missing.
    /// - Precondition: every feature of `table` was fitted.
    package func applied(to table: FeatureTable) -> FeatureTable {
        let view = normalising(table)
        var result = table
        let (fa, fm) = (table.assetFeatures.count, table.marketFeatures.count)
        for index in result.assetValues.indices where !result.assetValues[index].isNaN {
            result.assetValues[index] = view.normalise(result.assetValues[index], view.assetStatistics[index % fa])
        }
        for index in result.marketValues.indices where !result.marketValues[index].isNaN {
            result.marketValues[index] = view.normalise(result.marketValues[index], view.marketStatistics[index % fm])
        }
        return result
    }

    /// A view that normalises `table`'s values as they are read, so a reader of a few rows
    /// (the daily job reads one) does not copy the whole history.
    /// - Precondition: every feature of `table` was fitted.
    package func normalising(_ table: FeatureTable) -> NormalisedFeatures {
        func fitted(_ names: [String]) -> [Statistics] {
            names.map { name in
                guard let s = features[name] else { preconditionFailure("FeatureNormalisation: feature \(name) was not fitted") }
                return s
            }
        }
        return NormalisedFeatures(
            table: table, assetStatistics: fitted(table.assetFeatures), marketStatistics: fitted(table.marketFeatures), clip: clip
        )
    }

    private static func statistics(_ values: [Double]) -> Statistics {
        guard !values.isEmpty else { return Statistics(mean: 0, standardDeviation: 1) }
        let mean = values.reduce(0, +) / Double(values.count)
        guard values.count >= 2 else { return Statistics(mean: mean, standardDeviation: 1) }
        let sd = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)).squareRoot()
        return Statistics(mean: mean, standardDeviation: sd > 0 && sd.isFinite ? sd : 1)
    }

    /// The first rule a decoded normalisation breaks, or nil: a positive finite clip, finite
    /// means and positive finite standard deviations (a file read from disk can be damaged;
    /// a zero deviation would turn every input into infinity).
    package var brokenRule: String? {
        guard clip > 0 && clip.isFinite else { return "clip must be a positive number; found \(clip)" }
        for (name, s) in features.sorted(by: { $0.key < $1.key })
        where !(s.mean.isFinite && s.standardDeviation > 0 && s.standardDeviation.isFinite) {
            return "feature '\(name)' has mean \(s.mean) and sd \(s.standardDeviation); both must be finite and sd positive"
        }
        return nil
    }
}

/// A feature table read through a normalisation (`FeatureNormalisation.normalising`): the same
/// values `applied(to:)` writes, computed on access.
package struct NormalisedFeatures: Sendable {
    /// The raw table.
    package let table: FeatureTable
    let assetStatistics: [FeatureNormalisation.Statistics]
    let marketStatistics: [FeatureNormalisation.Statistics]
    let clip: Double

    /// A normalised per-asset value, nil when missing.
    package func value(row: Int, asset: Int, feature: Int) -> Double? {
        table.value(row: row, asset: asset, feature: feature).map { normalise($0, assetStatistics[feature]) }
    }

    /// A normalised market-wide value, nil when missing.
    package func marketValue(row: Int, feature: Int) -> Double? {
        table.marketValue(row: row, feature: feature).map { normalise($0, marketStatistics[feature]) }
    }

    /// `clamp((x - mean) / sd, -clip, clip)`.
    func normalise(_ value: Double, _ s: FeatureNormalisation.Statistics) -> Double {
        Swift.min(Swift.max((value - s.mean) / s.standardDeviation, -clip), clip)
    }
}
