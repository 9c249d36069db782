import Evaluation
import Foundation
import Risk
import TestSupport
import Testing

/// PSR, DSR, Sharpe differences and PBO against NumPy/SciPy (`Fixtures/significance-expected.json`,
/// made by `scripts/fixtures/make_significance_fixtures.py`, cross-checked with mpmath).
@Suite("Significance against the reference computation")
struct SignificanceTests {
    struct File: Decodable {
        struct Series: Decodable {
            let returns: [[Double]]
            let sr: [Double]
            let psr: [Double]
        }
        struct Deflated: Decodable { let dsr: [Double] }
        struct Difference: Decodable { let values: [Double] }
        struct Overfitting: Decodable {
            struct Matrix: Decodable {
                let pbo: Double
                let combinations: Int
                let matrix: [[Double]]
            }
            let S: Int
            let matrices: [String: Matrix]
        }
        let series: Series
        let dsr: Deflated
        let sharpe_diff: Difference
        let pbo: Overfitting
    }

    static func load() throws -> File {
        try JSONDecoder().decode(File.self, from: Data(contentsOf: Fixtures.url("significance-expected.json")))
    }

    static func close(_ a: Double?, _ b: Double, _ tolerance: Double = 1e-10) -> Bool {
        guard let a else { return false }
        return Swift.abs(a - b) <= tolerance * Swift.max(1, Swift.abs(b))
    }

    @Test("Sharpe, PSR and DSR of five series, and their Sharpe differences")
    func sharpeStatistics() throws {
        let file = try Self.load()
        let sharpes = file.series.returns.compactMap(SharpeStatistics.sharpe)
        for (k, r) in file.series.returns.enumerated() {
            #expect(Self.close(SharpeStatistics.sharpe(r), file.series.sr[k]), "SR \(k)")
            #expect(Self.close(SharpeStatistics.probabilisticSharpe(r), file.series.psr[k]), "PSR \(k)")
            #expect(Self.close(SharpeStatistics.deflatedSharpe(r, trialSharpes: sharpes), file.dsr.dsr[k]), "DSR \(k)")
            let test = SharpeDifferenceTest(r, file.series.returns[0], periodsPerYear: 365, resamples: 200)
            #expect(Self.close(test.difference, file.sharpe_diff.values[k]), "Sharpe difference \(k)")
        }
    }

    @Test("DSR with more trials than series: N is the trials given, V the series' variance; fewer trials change nothing")
    func deflatedWithTrials() throws {
        let file = try Self.load()
        let sharpes = file.series.returns.compactMap(SharpeStatistics.sharpe)
        let mean = sharpes.reduce(0, +) / Double(sharpes.count)
        let variance = sharpes.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(sharpes.count - 1)
        let n = 100.0
        let gamma = 0.5772156649015329
        let threshold =
            variance.squareRoot()
            * ((1 - gamma) * NormalDistribution.quantile(1 - 1 / n) + gamma * NormalDistribution.quantile(1 - 1 / (n * exp(1))))
        for r in file.series.returns {
            let deflated = try #require(SharpeStatistics.deflatedSharpe(r, trialSharpes: sharpes, trials: 100))
            #expect(Self.close(deflated, try #require(SharpeStatistics.probabilisticSharpe(r, benchmark: threshold))))
            #expect(deflated < SharpeStatistics.deflatedSharpe(r, trialSharpes: sharpes)!)
            #expect(
                SharpeStatistics.deflatedSharpe(r, trialSharpes: sharpes, trials: 2)
                    == SharpeStatistics.deflatedSharpe(r, trialSharpes: sharpes))
        }
    }

    @Test("PBO by CSCV for a drift matrix and a noise matrix", arguments: ["drift", "noise"])
    func overfitting(_ name: String) throws {
        let file = try Self.load()
        let case_ = try #require(file.pbo.matrices[name])
        let (pbo, combinations) = BacktestOverfitting.probability(case_.matrix, blocks: file.pbo.S)
        #expect(combinations == case_.combinations)
        #expect(pbo == case_.pbo)
    }

    @Test("PBO is 0 when one configuration dominates in every block")
    func dominant() {
        // Configuration k earns 0.01 k plus small noise: the in-sample best is always the
        // out-of-sample best.
        let returns: [[Double]] = (0..<160).map { (t: Int) -> [Double] in
            (0..<4).map { (k: Int) -> Double in
                let noise: Double = 0.001 * Double((t * 7 + k * 3) % 5)
                return 0.01 * Double(k) + noise
            }
        }
        #expect(BacktestOverfitting.probability(returns, blocks: 8).pbo == 0)
    }

    @Test("the bootstrap is seeded, its interval holds the estimate, and a series against itself has p = 1")
    func bootstrap() throws {
        let file = try Self.load()
        let a = file.series.returns[4]
        let b = file.series.returns[3]
        let first = SharpeDifferenceTest(a, b, periodsPerYear: 365, resamples: 500, seed: 3)
        let again = SharpeDifferenceTest(a, b, periodsPerYear: 365, resamples: 500, seed: 3)
        let other = SharpeDifferenceTest(a, b, periodsPerYear: 365, resamples: 500, seed: 4)
        #expect(first == again)
        #expect(first.lower != other.lower)
        #expect(first.lower <= first.difference && first.difference <= first.upper)
        #expect(first.pValue >= 0 && first.pValue <= 1)
        let same = SharpeDifferenceTest(a, a, periodsPerYear: 365, resamples: 200)
        #expect(same.difference == 0 && same.pValue == 1)
    }
}
