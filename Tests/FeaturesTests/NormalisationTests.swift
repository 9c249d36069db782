import Features
import Foundation
import Market
import TestSupport
import Testing

@Suite("Normalisation")
struct NormalisationTests {
    @Test("fitted on the training rows only: the future does not change the statistics")
    func trainingRangeOnly() throws {
        let dataset = try DatasetReader.load(directory: Fixtures.url("mini").path)
        let full = FeatureBuilder.compute(dataset)
        let truncated = FeatureBuilder.compute(dataset.truncated(throughRow: 99))
        let a = FeatureNormalisation(fitting: full, rows: 0..<100, clip: 5)
        let b = FeatureNormalisation(fitting: truncated, rows: 0..<100, clip: 5)
        #expect(a == b)
        let later = FeatureNormalisation(fitting: full, rows: 0..<160, clip: 5)
        #expect(a != later)
    }

    @Test("training values become mean 0 and sd 1 before clipping; clipped to the bound; missing stays missing")
    func standardises() throws {
        let dataset = try DatasetReader.load(directory: Fixtures.url("mini").path)
        let table = FeatureBuilder.compute(dataset)
        let normalisation = FeatureNormalisation(fitting: table, rows: 0..<160, clip: 1e9)
        let normalised = normalisation.applied(to: table)
        let feature = try #require(table.assetFeatures.firstIndex(of: "vol_20"))
        var values: [Double] = []
        for row in 0..<160 {
            for asset in 0..<4 { if let v = normalised.value(row: row, asset: asset, feature: feature) { values.append(v) } }
        }
        let mean = values.reduce(0, +) / Double(values.count)
        let sd = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)).squareRoot()
        #expect(Swift.abs(mean) < 1e-12 && Swift.abs(sd - 1) < 1e-12)
        let clipped = FeatureNormalisation(fitting: table, rows: 0..<160, clip: 0.5).applied(to: table)
        #expect(clipped.assetValues.allSatisfy { $0.isNaN || Swift.abs($0) <= 0.5 })
        #expect(zip(clipped.assetValues, table.assetValues).allSatisfy { $0.isNaN == $1.isNaN })
    }

    @Test("the statistics round-trip through JSON (they are stored with a model version)")
    func codable() throws {
        let dataset = try DatasetReader.load(directory: Fixtures.url("mini").path)
        let normalisation = FeatureNormalisation(fitting: FeatureBuilder.compute(dataset), rows: 0..<80, clip: 5)
        let data = try JSONEncoder().encode(normalisation)
        #expect(try JSONDecoder().decode(FeatureNormalisation.self, from: data) == normalisation)
        let spec = FeatureSpec()
        #expect(try JSONDecoder().decode(FeatureSpec.self, from: JSONEncoder().encode(spec)) == spec)
    }
}
