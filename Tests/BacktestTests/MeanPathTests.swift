import Market
import Portfolio
import Testing

@testable import Backtest

/// The mean path of several runs (a periodic schedule's offsets), checked against sums done
/// by hand.
@Suite("the mean path of a schedule's offsets")
struct MeanPathTests {
    /// A run over 2 assets and 3 days with the given returns, costs and a limit count.
    static func run(_ returns: [Double], cost: Double, weight: Double, bound: Int?, warning: String) -> BacktestResult {
        var wealth = 1.0
        let periods = returns.enumerated().map { t, r in
            wealth *= 1 + r
            return BacktestResult.Period(
                date: Timestamp(secondsSinceEpoch: Int64(t) * 86_400, isDateOnly: true), netReturn: r, wealth: wealth,
                weights: [weight, 1 - weight], turnover: 2 * cost, cost: cost, funding: 0.001)
        }
        return BacktestResult(
            strategy: "p", assets: ["A", "B"], cash: "USD", periods: periods, periodsPerYear: 365, costsPaid: 0, fundingPaid: 0,
            warnings: [warning], limitsBinding: bound.map { [LimitBinding(.maxWeight): $0] }, regimes: [nil, nil, nil])
    }

    @Test("returns, weights, costs and limit counts are the runs' means; wealth and the paid sums follow their definitions")
    func meanOfTwo() {
        let a = Self.run([0.10, -0.05, 0.02], cost: 0.002, weight: 0.2, bound: 1, warning: "w1")
        let b = Self.run([0.00, 0.05, 0.04], cost: 0.004, weight: 0.6, bound: 0, warning: "w2")
        let mean = BacktestResult.mean(of: [a, b])
        let returns = mean.periods.map(\.netReturn)
        #expect(zip(returns, [0.05, 0.0, 0.03]).allSatisfy { abs($0 - $1) < 1e-15 }, "\(returns)")
        // Wealth compounds the mean return: 1.05, 1.05, 1.05 * 1.03.
        #expect(abs(mean.periods[2].wealth - 1.0815) < 1e-12)
        #expect(mean.periods.allSatisfy { abs($0.weights[0] - 0.4) < 1e-15 && abs($0.cost - 0.003) < 1e-15 })
        // Costs paid: W_0 c + W_1 c + W_2 c with W = 1, 1.05, 1.05 and c = 0.003.
        #expect(abs(mean.costsPaid - 0.003 * (1 + 1.05 + 1.05)) < 1e-15)
        #expect(abs(mean.fundingPaid - 0.001 * 0.997 * (1 + 1.05 + 1.05)) < 1e-15)
        // A limit that bound once in one of two runs shows (1 rounded up from 0.5).
        #expect(mean.limitsBinding == [LimitBinding(.maxWeight): 1])
        #expect(mean.warnings == ["w1", "w2"])
    }

    @Test("one run is its own mean, and the mean of a run with itself is the run (negative controls)")
    func identities() {
        let a = Self.run([0.10, -0.05, 0.02], cost: 0.002, weight: 0.2, bound: 3, warning: "w")
        #expect(BacktestResult.mean(of: [a]).periods == a.periods)
        let twice = BacktestResult.mean(of: [a, a])
        #expect(zip(twice.periods, a.periods).allSatisfy { abs($0.wealth - $1.wealth) < 1e-15 && $0.weights == $1.weights })
        #expect(twice.limitsBinding == a.limitsBinding && twice.warnings == ["w"])
        let unlimited = Self.run([0.1, 0, 0], cost: 0, weight: 0.5, bound: nil, warning: "w")
        #expect(BacktestResult.mean(of: [unlimited, unlimited]).limitsBinding == nil)
    }
}
