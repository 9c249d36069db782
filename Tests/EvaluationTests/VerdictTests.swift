import Evaluation
import Foundation
import Market
import Support
import Testing

@testable import Backtest

/// The verdict of contract section 10 on hand-made return series, each case's premise checked
/// by an independent computation (Sharpe from mean and n-1 standard deviation, drawdown from
/// the wealth path with W_0 = 1), with negative controls: a recipe that wins overall but loses
/// most folds, a model that wins only at the plain fee.
@Suite("the verdict")
struct VerdictTests {
    static let periodsPerYear = 365.0

    /// A backtest result holding `returns` from 2020-01-01, one period a day.
    static func result(_ name: String, _ returns: [Double]) -> BacktestResult {
        var wealth = 1.0
        let start = Timestamp(year: 2020, month: 1, day: 1).dayNumber
        let periods = returns.enumerated().map { t, r in
            wealth *= 1 + r
            return BacktestResult.Period(
                date: Timestamp(secondsSinceEpoch: Int64(start + t) * 86_400, isDateOnly: true), netReturn: r, wealth: wealth,
                weights: [], turnover: 0, cost: 0, funding: 0)
        }
        return BacktestResult(
            strategy: name, assets: [], cash: "USD", periods: periods, periodsPerYear: periodsPerYear, costsPaid: 0,
            fundingPaid: 0, warnings: [], limitsBinding: nil, regimes: returns.map { _ in nil })
    }

    /// The independent Sharpe: mean / sd (n - 1) * sqrt(P).
    static func sharpe(_ r: ArraySlice<Double>) -> Double {
        let mean = r.reduce(0, +) / Double(r.count)
        let variance = r.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(r.count - 1)
        return mean / variance.squareRoot() * periodsPerYear.squareRoot()
    }

    /// The independent maximum drawdown of the wealth path, W_0 = 1 included.
    static func maxDrawdown(_ r: [Double]) -> Double {
        var (wealth, peak, worst) = (1.0, 1.0, 0.0)
        for x in r {
            wealth *= 1 + x
            peak = max(peak, wealth)
            worst = max(worst, 1 - wealth / peak)
        }
        return worst
    }

    /// A noise series with mean `drift` and scale `scale`, seeded.
    static func noise(_ count: Int, drift: Double, scale: Double, seed: UInt64) -> [Double] {
        var g = SeededGenerator(seed: seed)
        return (0..<count).map { _ in drift + scale * g.nextStandardNormal() }
    }

    /// Four 100-day folds.
    static let foldDates: [(Timestamp, Timestamp)] = (0..<4).map { k in
        let start = Timestamp(year: 2020, month: 1, day: 1).dayNumber + 100 * k
        let date = { (day: Int) in Timestamp(secondsSinceEpoch: Int64(day) * 86_400, isDateOnly: true) }
        return (date(start), date(start + 99))
    }

    static func verdict(
        _ candidate: [Double], _ benchmark: [Double], doubled: ([Double], [Double])? = nil, folds: Bool = false
    ) -> Verdict {
        let (c, b) = (result("candidate", candidate), result("benchmark", benchmark))
        let twice = doubled.map { (result("candidate", $0.0), result("benchmark", $0.1)) } ?? (c, b)
        return Verdict(
            candidate: c, benchmark: b, benchmarkName: "benchmark", doubled: twice, foldDates: folds ? foldDates : nil,
            seed: 7)
    }

    @Test("a clearly better model earns its place by the Sharpe track; its tracks agree with the independent figures")
    func clearWinner() {
        let benchmark = Self.noise(400, drift: 0.0005, scale: 0.02, seed: 1)
        let candidate = zip(benchmark, Self.noise(400, drift: 0.002, scale: 0.004, seed: 2)).map { $0 * 0.6 + $1 }
        #expect(Self.sharpe(candidate[...]) > Self.sharpe(benchmark[...]) + 1)
        let verdict = Self.verdict(candidate, benchmark)
        #expect(verdict.sharpeTrack && verdict.pBetter >= 0.8 && verdict.feesDoubled && verdict.earnsPlace)
        #expect(verdict.riskTrack == (Self.maxDrawdown(candidate) <= 0.8 * Self.maxDrawdown(benchmark)))
        #expect(verdict.foldsWon == nil && verdict.folds == nil)
        #expect(verdict.sentence(for: "m:1").hasPrefix("m:1 earns its place against benchmark"))
    }

    @Test("negative control: a recipe that wins overall but loses most folds fails the Sharpe track")
    func winsOverallLosesFolds() {
        let benchmark = Self.noise(400, drift: 0.001, scale: 0.01, seed: 3)
        // Far ahead in the first fold, a little behind in the other three.
        let candidate = benchmark.enumerated().map { t, r in t < 100 ? r + 0.004 : r - 0.0004 }
        #expect(Self.sharpe(candidate[...]) > Self.sharpe(benchmark[...]))
        let won = Self.foldDates.indices.filter { k in
            Self.sharpe(candidate[(100 * k)..<(100 * k + 100)]) > Self.sharpe(benchmark[(100 * k)..<(100 * k + 100)])
        }
        #expect(won == [0])
        let recipe = Self.verdict(candidate, benchmark, folds: true)
        #expect(!recipe.sharpeTrack && recipe.foldsWon == 1 && recipe.folds == 4)
        // The same series judged as a model (no folds) passes the Sharpe track.
        #expect(Self.verdict(candidate, benchmark).sharpeTrack)
    }

    @Test("negative control: a model that wins only at the plain fee does not hold at twice the fees")
    func winsOnlyAtPlainFee() {
        let benchmark = Self.noise(400, drift: 0.0005, scale: 0.02, seed: 4)
        let candidate = zip(benchmark, Self.noise(400, drift: 0.002, scale: 0.004, seed: 5)).map { $0 * 0.6 + $1 }
        // At twice the fee the candidate's turnover costs it 0.3% a day; the benchmark barely trades.
        let costly = candidate.map { $0 - 0.003 }
        #expect(Self.sharpe(costly[...]) < Self.sharpe(benchmark[...]) - 0.1)
        let verdict = Self.verdict(candidate, benchmark, doubled: (costly, benchmark))
        #expect(verdict.sharpeTrack && !verdict.feesDoubled && !verdict.earnsPlace)
        #expect(verdict.sentence(for: "m:1").hasSuffix("but not at twice the fees."))
        #expect(Self.verdict(candidate, benchmark).earnsPlace, "positive control: the same at both fees earns")
    }

    @Test("the risk track: a Sharpe within 0.10 of the benchmark's with at most 0.8 of its drawdown, not 0.9")
    func riskTrack() {
        let benchmark = Self.noise(400, drift: 0.001, scale: 0.02, seed: 6)
        let mean = benchmark.reduce(0, +) / 400
        for (share, holds) in [(0.7, true), (0.9, false)] {
            // Scaled around its mean: `share` of the swings, a higher Sharpe (the premise), and a
            // drawdown near `share` of the benchmark's.
            let candidate = benchmark.map { mean + share * ($0 - mean) }
            #expect(Self.sharpe(candidate[...]) >= Self.sharpe(benchmark[...]) - 0.1)
            let ratio = Self.maxDrawdown(candidate) / Self.maxDrawdown(benchmark)
            let verdict = Self.verdict(candidate, benchmark)
            #expect(verdict.riskTrack == (ratio <= 0.8), "share \(share): drawdown ratio \(ratio)")
            #expect(verdict.riskTrack == holds)
        }
    }

    @Test("p_better: 0 against itself, near 1 when dominant, and the two directions add up to at most 1")
    func probabilityBetter() {
        let benchmark = Self.noise(300, drift: 0.0005, scale: 0.02, seed: 8)
        #expect(Self.verdict(benchmark, benchmark).pBetter == 0)
        let other = Self.noise(300, drift: 0.0006, scale: 0.02, seed: 9)
        let forward = Self.verdict(other, benchmark).pBetter
        let backward = Self.verdict(benchmark, other).pBetter
        #expect(forward > 0 && backward > 0 && forward + backward <= 1)
        let dominant = benchmark.map { $0 + 0.01 }
        #expect(Self.verdict(dominant, benchmark).pBetter > 0.99)
    }

    @Test("the benchmark is the baseline with the highest Sharpe, bcrp and models left out")
    func benchmarkChoice() {
        let results = [
            Self.result("model", Self.noise(200, drift: 0.01, scale: 0.01, seed: 10)),
            Self.result("bcrp", Self.noise(200, drift: 0.005, scale: 0.01, seed: 11)),
            Self.result("hrp", Self.noise(200, drift: 0.001, scale: 0.01, seed: 12)),
            Self.result("min-variance", Self.noise(200, drift: 0.002, scale: 0.01, seed: 13)),
        ]
        #expect(Verdict.benchmarkIndex(results, isBaseline: { $0 != 0 }) == 3)
        #expect(Verdict.benchmarkIndex(results, isBaseline: { $0 == 0 }) == 0)
        #expect(Verdict.benchmarkIndex(Array(results[..<2]), isBaseline: { $0 == 1 }) == nil)
    }
}
