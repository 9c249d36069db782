import Foundation
import TestSupport
import Testing

@testable import Features
@testable import Market

/// No look-ahead: features at or before row t are bit-identical whatever happens after t.
@Suite("No look-ahead in features")
struct LookAheadTests {
    /// The dataset with every row after `row` rewritten: prices scaled by varying factors,
    /// funding negated, exogenous values after that date replaced, and extra rows appended.
    static func rewritingFuture(_ d: Dataset, after row: Int) -> Dataset {
        let n = d.assets.count
        var prices = d.prices
        for index in ((row + 1) * n)..<prices.count where !prices[index].isNaN {
            prices[index] *= 1.5 + Double(index % 7) * 0.1
        }
        let extra = 5
        var dates = d.dates
        for k in 1...extra {
            dates.append(Timestamp(secondsSinceEpoch: d.dates.last!.secondsSinceEpoch + Int64(k) * 86_400, isDateOnly: true))
            prices += Array(prices[((d.rowCount - 1) * n)...].map { $0 * 0.5 })
        }
        let cutoff = d.dates[row]
        return Dataset(
            dates: dates, assets: d.assets, prices: prices, firstRows: d.firstRows,
            funding: d.funding.map { series in
                FundingSeries(
                    asset: series.asset,
                    rates: (series.rates.enumerated().map { $0.offset > row ? -$0.element * 3 : $0.element }
                        + Array(repeating: 0.01, count: extra))[...],
                    missingRows: 0)
            },
            exogenous: d.exogenous.map { series in
                ExogenousSeries(
                    name: series.name, dates: series.dates,
                    values: zip(series.dates, series.values).map { $0 > cutoff ? 1e6 : $1 })
            },
            config: d.config, periodsPerYear: d.periodsPerYear)
    }

    @Test(
        "changing and appending rows after t leaves every feature at or before t unchanged", arguments: [0, 19, 20, 74, 100, 158])
    func futureDoesNotLeak(_ row: Int) throws {
        let dataset = try DatasetReader.load(directory: Fixtures.url("mini").path)
        let original = FeatureBuilder.compute(dataset)
        let changed = FeatureBuilder.compute(Self.rewritingFuture(dataset, after: row))
        let truncated = FeatureBuilder.compute(dataset.truncated(throughRow: row))
        let perRowAsset = dataset.assets.count * original.assetFeatures.count
        let perRowMarket = original.marketFeatures.count
        let pastAsset = Array(original.assetValues[..<((row + 1) * perRowAsset)])
        let pastMarket = Array(original.marketValues[..<((row + 1) * perRowMarket)])
        let bits = { (values: [Double]) in values.map(\.bitPattern) }
        #expect(bits(Array(changed.assetValues[..<((row + 1) * perRowAsset)])) == bits(pastAsset))
        #expect(bits(Array(changed.marketValues[..<((row + 1) * perRowMarket)])) == bits(pastMarket))
        #expect(bits(truncated.assetValues) == bits(pastAsset))
        #expect(bits(truncated.marketValues) == bits(pastMarket))
        // The rewrite really changed the future (so the test can fail).
        if row < dataset.rowCount - 1 {
            #expect(
                bits(Array(changed.assetValues[((row + 1) * perRowAsset)...]))
                    != bits(Array(original.assetValues[((row + 1) * perRowAsset)...])))
        }
    }
}
