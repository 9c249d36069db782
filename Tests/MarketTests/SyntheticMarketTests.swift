import Foundation
import TestSupport
import Testing

@testable import Market

@Suite("Synthetic market")
struct SyntheticMarketTests {
    @Test("same seed, same bytes; another seed, other bytes")
    func deterministic() {
        let a = SyntheticMarket(assets: 4, periods: 200, seed: 3)
        let b = SyntheticMarket(assets: 4, periods: 200, seed: 3)
        let c = SyntheticMarket(assets: 4, periods: 200, seed: 4)
        #expect(a.files == b.files)
        #expect(a.files.files["prices.csv"] != c.files.files["prices.csv"])
    }

    @Test("it is a valid dataset with staggered listings, funding, features and the true regimes")
    func valid() throws {
        let market = SyntheticMarket(assets: 6, periods: 800, seed: 11)
        let directory = try Fixtures.temporaryDirectory()
        try market.files.write(to: directory)
        let dataset = try DatasetReader.load(directory: directory.path)
        #expect(dataset.assets.count == 6)
        #expect(Set(dataset.firstRows).count >= 4)
        #expect(dataset.funding.map(\.asset) == ["SYN1", "SYN2", "SYN3"])
        #expect(dataset.exogenous.map(\.name) == ["IV_INDEX", "MACRO"])
        #expect(dataset.exogenous[1].dates.allSatisfy { $0.weekday < 5 })
        let regimes = try #require(market.files.files["regimes.csv"]).split(separator: "\n")
        #expect(regimes.count == 801)
        #expect(Set(market.regimePath) == [0, 1, 2])
    }

    @Test("regimes differ in volatility and correlation, and shocks are fat-tailed")
    func regimesDiffer() throws {
        let market = SyntheticMarket(assets: 6, periods: 3000, seed: 5)
        let directory = try Fixtures.temporaryDirectory()
        try market.files.write(to: directory)
        let d = try DatasetReader.load(directory: directory.path)
        var byRegime: [[Double]] = [[], [], []]
        for row in 1..<d.rowCount {
            if let now = d.price(row: row, asset: 0), let before = d.price(row: row - 1, asset: 0) {
                byRegime[market.regimePath[row]].append(Foundation.log(now / before))
            }
        }
        let sd = byRegime.map { values -> Double in
            let m = values.reduce(0, +) / Double(values.count)
            return (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1)).squareRoot()
        }
        #expect(sd[0] < sd[1] && sd[1] < sd[2])
        // Excess kurtosis of the standardised calm-regime returns is clearly positive.
        let calm = byRegime[0]
        let m = calm.reduce(0, +) / Double(calm.count)
        let m2 = calm.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(calm.count)
        let m4 = calm.reduce(0) { $0 + Foundation.pow($1 - m, 4) } / Double(calm.count)
        #expect(m4 / (m2 * m2) - 3 > 0.5)
    }
}
