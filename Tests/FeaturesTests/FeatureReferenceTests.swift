import Features
import Foundation
import Market
import TestSupport
import Testing

/// Features of `Fixtures/mini` against an independent pandas/NumPy computation
/// (`Fixtures/mini-expected.csv`, made by `scripts/fixtures/make_feature_fixtures.py`).
@Suite("Features against pandas")
struct FeatureReferenceTests {
    static func expected() throws -> [String: Double] {
        let text = try String(contentsOf: Fixtures.url("mini-expected.csv"), encoding: .utf8)
        var values: [String: Double] = [:]
        for line in text.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            values["\(fields[0]),\(fields[1]),\(fields[2])"] = Double(fields[3])!
        }
        return values
    }

    @Test("every value matches, and no value is present that pandas left missing")
    func matchesPandas() throws {
        let dataset = try DatasetReader.load(directory: Fixtures.url("mini").path)
        let table = FeatureBuilder.compute(dataset)
        let expected = try Self.expected()
        var produced: [String: Double] = [:]
        for line in table.longCSV(rows: 0..<table.dates.count).split(separator: "\n").dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            produced["\(fields[0]),\(fields[1]),\(fields[2])"] = Double(fields[3])!
        }
        #expect(produced.count == expected.count)
        #expect(Set(produced.keys) == Set(expected.keys))
        var worst = 0.0
        for (key, value) in expected {
            guard let actual = produced[key] else { continue }
            let error = Swift.abs(actual - value) / Swift.max(Swift.abs(value), 1e-12)
            worst = Swift.max(worst, error)
            #expect(error < 1e-9 || Swift.abs(actual - value) < 1e-14, "\(key): \(actual) vs pandas \(value)")
        }
        #expect(worst < 1e-9)
    }

    @Test("feature names follow the specification's windows")
    func names() {
        var spec = FeatureSpec()
        spec.horizons = [2]
        spec.correlationWindow = 30
        #expect(
            spec.assetFeatureNames == [
                "ret_2", "vol_20", "ewma_vol", "mom_60_5", "drawdown_90", "corr_30", "beta_30", "funding_7", "funding_30",
                "funding_trend",
            ])
        #expect(spec.marketFeatureNames == ["mkt_ret", "mkt_vol_20", "dispersion", "avg_corr_30"])
        spec.momentumSkip = 60
        #expect(spec.problems == ["momentum_skip must be in 0..<momentum_lookback; found 60"])
    }
}

/// Features of the real data (skipped when `../shared/data/crypto-daily` is absent).
@Suite("Features of real data")
struct RealDataFeatureTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../shared/data/crypto-daily").standardized.path

    @Test(
        "crypto-daily yields finite features, masked before each listing",
        .enabled(if: FileManager.default.fileExists(atPath: directory + "/prices.csv"), "../shared/data/crypto-daily is absent"))
    func realFeatures() throws {
        let dataset = try DatasetReader.load(directory: Self.directory)
        let table = FeatureBuilder.compute(dataset)
        #expect(table.assetValues.allSatisfy { $0.isNaN || $0.isFinite })
        let sol = try #require(dataset.assets.firstIndex(of: "SOL"))
        let ret1 = try #require(table.assetFeatures.firstIndex(of: "ret_1"))
        #expect(table.value(row: dataset.firstRows[sol], asset: sol, feature: ret1) == nil)
        #expect(table.value(row: dataset.firstRows[sol] + 1, asset: sol, feature: ret1) != nil)
        let dvol = try #require(table.marketFeatures.firstIndex(of: "BTC_DVOL"))
        #expect(table.marketValue(row: dataset.rowCount - 1, feature: dvol) != nil)
    }
}
