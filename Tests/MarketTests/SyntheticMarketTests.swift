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
        #expect(a.files.files["ohlcv.csv"] != c.files.files["ohlcv.csv"])
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

    @Test("ohlcv.csv: liquidity spread over orders of magnitude, noisy, busier on large moves; bars around the close")
    func volumes() throws {
        let market = SyntheticMarket(assets: 6, periods: 800, seed: 11)
        let directory = try Fixtures.temporaryDirectory()
        try market.files.write(to: directory)
        let d = try DatasetReader.load(directory: directory.path)
        #expect(d.config.volumeUnit == .base)
        var medians: [Double] = []
        for asset in 0..<6 {
            let listed = d.firstRows[asset]..<d.rowCount
            #expect((0..<d.firstRows[asset]).allSatisfy { d.dollarVolume(row: $0, asset: asset) == nil })
            let logVolumes = try listed.map { Foundation.log(try #require(d.dollarVolume(row: $0, asset: asset))) }
            medians.append(Foundation.exp(logVolumes.sorted()[logVolumes.count / 2]))
            let moves = listed.map { Swift.abs(d.simpleReturn(row: $0, asset: asset) ?? 0) }
            #expect(Self.correlation(Array(logVolumes.dropFirst()), Array(moves.dropFirst())) > 0.3, "asset \(asset)")
            let changes = zip(logVolumes.dropFirst(), logVolumes).map { $0 - $1 }
            #expect(Self.deviation(changes) > 0.2, "asset \(asset): day-to-day changes of log volume")
        }
        #expect(medians[0] / medians[5] > 100)
        #expect(zip(medians, medians.dropFirst()).filter { $0 > $1 }.count >= 4)
        // Open is the previous close; high and low bracket open and close.
        var previous: [Substring: Substring] = [:]
        for line in try #require(market.files.files["ohlcv.csv"]).split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",")
            let (open, high, low, close) = (Double(f[2])!, Double(f[3])!, Double(f[4])!, Double(f[5])!)
            #expect(f[2] == previous[f[1]] ?? f[5])
            #expect(low <= Swift.min(open, close) && high >= Swift.max(open, close) && low > 0)
            previous[f[1]] = f[5]
        }
    }

    /// The sample standard deviation (n - 1).
    static func deviation(_ x: [Double]) -> Double {
        let m = x.reduce(0, +) / Double(x.count)
        return (x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count - 1)).squareRoot()
    }

    /// Pearson's correlation of two equally long series.
    static func correlation(_ x: [Double], _ y: [Double]) -> Double {
        let (mx, my) = (x.reduce(0, +) / Double(x.count), y.reduce(0, +) / Double(y.count))
        let cov = zip(x, y).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) } / Double(x.count - 1)
        return cov / (deviation(x) * deviation(y))
    }
}
