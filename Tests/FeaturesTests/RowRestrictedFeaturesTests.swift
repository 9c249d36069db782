import Foundation
import TestSupport
import Testing

@testable import Features
@testable import Market

/// `FeatureBuilder.compute(rows:)`, the daily job's path: the windowed features at the rows
/// asked for are bit-identical to the full computation's, the rest of the table is what the
/// regime filter reads, and nothing else is computed.
@Suite("Features at given rows only")
struct RowRestrictedFeaturesTests {
    @Test("each row's values equal the full table's, bit for bit", arguments: [0, 30, 89, 90, 158])
    func sameValues(_ row: Int) throws {
        let dataset = try DatasetReader.load(directory: Fixtures.url("mini").path)
        let full = FeatureBuilder.compute(dataset)
        let one = FeatureBuilder.compute(dataset, rows: row...row)
        let n = dataset.assets.count
        let (fa, fm) = (full.assetFeatures.count, full.marketFeatures.count)
        let bits = { (values: ArraySlice<Double>) in values.map(\.bitPattern) }
        #expect(
            bits(one.assetValues[(row * n * fa)..<((row + 1) * n * fa)])
                == bits(full.assetValues[(row * n * fa)..<((row + 1) * n * fa)]))
        #expect(bits(one.marketValues[(row * fm)..<((row + 1) * fm)]) == bits(full.marketValues[(row * fm)..<((row + 1) * fm)]))
        // What the regime filter reads is there at every row.
        for name in ["mkt_ret", "dispersion"] {
            let feature = full.marketFeatures.firstIndex(of: name)!
            for t in 0..<dataset.rowCount {
                #expect(
                    one.marketValue(row: t, feature: feature)?.bitPattern
                        == full.marketValue(row: t, feature: feature)?.bitPattern)
            }
        }
    }

    @Test("the windowed features are left out at other rows, and only they")
    func windowedOnly() throws {
        let dataset = try DatasetReader.load(directory: Fixtures.url("mini").path)
        let full = FeatureBuilder.compute(dataset)
        let row = dataset.rowCount - 1
        let one = FeatureBuilder.compute(dataset, rows: row...row)
        let other = row - 1
        var skipped: Set<String> = []
        for (feature, name) in full.assetFeatures.enumerated() where full.value(row: other, asset: 0, feature: feature) != nil {
            if one.value(row: other, asset: 0, feature: feature) == nil { skipped.insert(name) }
        }
        for (feature, name) in full.marketFeatures.enumerated() where full.marketValue(row: other, feature: feature) != nil {
            if one.marketValue(row: other, feature: feature) == nil { skipped.insert(name) }
        }
        // Negative control of the comparison: the full table has these features at that row.
        #expect(!skipped.isEmpty)
        #expect(
            skipped.allSatisfy { name in
                name.hasPrefix("vol_") || name.hasPrefix("drawdown_") || name.hasPrefix("corr_") || name.hasPrefix("beta_")
                    || name.hasPrefix("funding_") || name.hasPrefix("mkt_vol_") || name.hasPrefix("avg_corr_")
            }, "\(skipped.sorted())")
    }
}
