import Backtest
import Foundation
import Baselines
import Market
import Portfolio
import Risk
import Support
import TestSupport
import Testing

/// Random limits files against several baselines: no traded decision breaks a hard limit,
/// and `limits_binding` counts agree with what the limits did to the decisions.
@Suite("limits in the backtest loop")
struct LimitsInTheLoopTests {
    @Test("for random limits, every decision of every baseline satisfies every hard limit")
    func randomLimits() throws {
        let market = try Fixtures.load(SyntheticMarket(assets: 5, periods: 400, seed: 21))
        var g = SeededGenerator(seed: 99)
        func maybe(_ range: ClosedRange<Double>) -> Double? {
            g.nextUnitInterval() < 0.6 ? range.lowerBound + (range.upperBound - range.lowerBound) * g.nextUnitInterval() : nil
        }
        var bound = 0
        for trial in 0..<12 {
            var limits = RiskLimits()
            limits.maxWeight = maybe(0.05...0.6)
            limits.maxGross = maybe(0.2...1)
            limits.minCash = maybe(0...0.5)
            limits.targetVolatility = maybe(0.1...0.8)
            limits.maxExpectedShortfall = maybe(0.01...0.08)
            limits.maxTurnover = maybe(0.05...0.5)
            if let cap = maybe(0...0.3) { limits.assetMax[market.assets[trial % 5]] = cap }
            var settings = BacktestSettings()
            settings.firstReturnRow = 200
            settings.lastReturnRow = 260
            settings.limits = limits
            settings.rebalance = trial % 2 == 0 ? .every(1) : .every(5)
            for rule in [BaselineName.equalWeight, .minimumVariance, .exponentiatedGradient, .olmar] {
                let result = try Simulator.run(Baseline(rule), on: market, settings: settings)
                let schedule = trial % 2 == 0 ? 1 : 5
                for (index, period) in result.periods.enumerated() where index % schedule == 0 {
                    let row = 199 + index
                    let constraints = HardConstraints(
                        limits: limits, assets: market.assets, regime: nil,
                        risk: PortfolioRiskWindow(market.view(throughRow: row).history, endingAt: row, window: 90))
                    #expect(
                        constraints.contains(period.weights, tolerance: 1e-9),
                        "trial \(trial) \(rule.rawValue) row \(row): \(period.weights) under \(limits)")
                }
                let counts = result.limitsBinding ?? [:]
                bound += counts.values.reduce(0, +)
                // A limit counted at most once per traded decision.
                let decisions = (result.periods.count + schedule - 1) / schedule
                #expect(counts.values.allSatisfy { $0 <= decisions })
            }
        }
        #expect(bound > 0, "the random limits must bind somewhere")
    }

    @Test("only limits the file sets are counted: equal weight under a loose max_weight is not bound by min_cash")
    func onlySetLimitsCounted() throws {
        let market = try Fixtures.load(SyntheticMarket(assets: 4, periods: 300, seed: 5))
        var settings = BacktestSettings()
        settings.firstReturnRow = 200
        settings.lastReturnRow = 299
        // Equal weight holds 0.25 of each of 4 assets: the cap does not bind, and the risky
        // weights' sum of 1 (the budget without min_cash) is not a limit the file sets.
        settings.limits = try RiskLimits(yaml: "max_weight: 0.3\n", file: "limits.yaml")
        let counts = try #require(try Simulator.run(Baseline(.equalWeight), on: market, settings: settings).limitsBinding)
        #expect(counts.isEmpty, "\(counts)")
        // Negative control: a file that sets min_cash has it counted when the budget binds.
        settings.limits = try RiskLimits(yaml: "min_cash: 0.1\n", file: "limits.yaml")
        let withCash = try Simulator.run(Baseline(.equalWeight), on: market, settings: settings).limitsBinding ?? [:]
        #expect(withCash[LimitBinding(.minCash)] == 100, "\(withCash)")
    }
}
