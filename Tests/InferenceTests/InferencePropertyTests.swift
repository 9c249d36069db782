import Artifacts
import Backtest
import Foundation
import Market
import Options
import Policy
import Portfolio
import Risk
import Support
import TestSupport
import Testing
import Training

@testable import Inference

@Suite("Daily inference under random limits")
struct InferencePropertyTests {
    @Test("for random limits files and model outputs, the written weights satisfy every hard limit")
    func randomLimits() throws {
        let (market, _) = try SignalMarket.make()
        var config = TrainingConfig.small(epochs: 1, stepsPerEpoch: 10)
        var g = SeededGenerator(seed: 77)
        for trial in 0..<25 {
            config.seed = UInt64(trial)
            let model = try PolicyTrainer.train(market, config: config, name: "p").allocator
            var limits = RiskLimits()
            func maybe(_ range: ClosedRange<Double>) -> Double? {
                g.nextUnitInterval() < 0.6 ? range.lowerBound + (range.upperBound - range.lowerBound) * g.nextUnitInterval() : nil
            }
            limits.maxWeight = maybe(0.05...0.6)
            limits.maxGross = maybe(0.1...1)
            limits.minCash = maybe(0...0.6)
            limits.targetVolatility = maybe(0.05...0.6)
            limits.maxExpectedShortfall = maybe(0.005...0.05)
            if let cap = maybe(0...1) { limits.assetMax["A"] = cap }
            var request = DailyInference.Request(asOf: market.dates[300 + trial])
            request.limits = limits
            let outcome = try DailyInference.run(model: model, dataset: market, request: request)
            let weights = market.assets.map { outcome.file.weights[$0]! }
            let row = 300 + trial
            let returns = ((row - 89)...row).map { t in
                (0..<3).map { market.price(row: t, asset: $0)! / market.price(row: t - 1, asset: $0)! - 1 }
            }
            // Every hard limit, checked from the definitions (sample covariance, TailRisk).
            let gross = weights.reduce(0, +)
            let tolerance = 1e-9
            for (asset, name) in market.assets.enumerated() {
                let cap = [limits.maxWeight, limits.assetMax[name]].compactMap { $0 }.min() ?? .infinity
                #expect(
                    weights[asset] >= -tolerance && weights[asset] <= cap + tolerance,
                    "trial \(trial): \(weights) under \(limits)")
            }
            #expect(gross <= (limits.maxGross ?? .infinity) + tolerance && gross <= 1 - (limits.minCash ?? 0) + tolerance)
            let volatility = (CovarianceEstimator.sample.estimate(returns).variance(of: weights) * market.periodsPerYear)
                .squareRoot()
            #expect(volatility <= (limits.targetVolatility ?? .infinity) * (1 + tolerance), "trial \(trial)")
            let portfolio = returns.map { zip($0, weights).map(*).reduce(0, +) }
            let es = TailRisk(returns: portfolio, confidence: limits.esConfidence).historicalES
            #expect(es <= (limits.maxExpectedShortfall ?? .infinity) * (1 + tolerance), "trial \(trial)")
            let measured = try #require(outcome.file.limits.measured)
            #expect(
                Swift.abs(measured.expectedShortfall - es) <= 1e-12
                    && Swift.abs(measured.volAnnual - volatility) <= 1e-12 * max(1, volatility))
            #expect(Swift.abs(outcome.file.weights.values.reduce(0, +) - 1) < 1e-9)
        }
    }
}

/// Fixed weights, traded every decision the schedule allows.
struct FixedWeights: Allocator {
    let weights: [Double]
    var name: String { "fixed" }
    func allocate(_ view: MarketView) throws -> Allocation { Allocation(weights: weights) }
    func firstDecisionRow(in market: Dataset) -> Int { 0 }
}

@Suite("Daily inference parity with the simulator")
struct HeldWeightsTests {
    @Test("the previous file's weights drift to today exactly as the simulator drifts held weights between trades")
    func heldWeightsMatchSimulator() throws {
        let (market, _) = try SignalMarket.make()
        let target = [0.5, 0.2, 0.1]
        var settings = BacktestSettings()
        settings.firstReturnRow = 101
        settings.lastReturnRow = 120
        settings.rebalance = .every(10)
        let result = try Simulator.run(FixedWeights(weights: target), on: market, settings: settings)
        var previous = WeightsFile(asOf: market.dates[100].description, source: .init(kind: "model", name: "p"), weights: [:])
        for (asset, name) in market.assets.enumerated() { previous.weights[name] = target[asset] }
        // Period 101 + k is held after k periods of drift (no trade until period 111).
        for k in 1..<10 {
            var noOverlay: OverlayAccount?
            let held = DailyInference.heldWeights(previous, market: market, row: 100 + k, overlay: &noOverlay)
            #expect(held == result.periods[k].weights, "after \(k) periods")
        }
    }
}
