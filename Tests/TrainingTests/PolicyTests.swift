import Backtest
import Features
import Foundation
import Market
import Policy
import Portfolio
import Support
import TensorModule
import TestSupport
import Testing
import Training

/// Fixed weights for a backtest, the same every decision.
struct FixedWeights: Allocator {
    let weights: [Double]
    var name: String { "fixed" }
    func allocate(_ view: MarketView) throws -> Allocation { Allocation(weights: weights) }
    func firstDecisionRow(in market: Dataset) -> Int { 0 }
}

@Suite("Policy and differentiable accounting")
struct PolicyTests {
    static func market(seed: UInt64 = 3, assets: Int = 4, periods: Int = 160) throws -> Dataset {
        return try Fixtures.load(SyntheticMarket(assets: assets, periods: periods, seed: seed))
    }

    /// The simulator's cost model on `market`, in its differentiable form.
    static func costs(_ market: Dataset, feeBasisPoints: Double) throws -> DifferentiableCosts {
        try DifferentiableCosts(.standard(market, feeBasisPoints: feeBasisPoints))
    }

    @Test("the differentiable accounting's returns equal the simulator's on the same weights, fees and funding")
    func matchesSimulator() throws {
        let market = try Self.market()
        let weights: [Double] = [0.3, 0.25, 0, 0]
        var settings = BacktestSettings()
        settings.firstReturnRow = 1
        settings.lastReturnRow = 40
        settings.feeBasisPoints = 25
        let plain = try Simulator.run(FixedWeights(weights: weights), on: market, settings: settings)
        var held = Tensor<Double>.zeros([1, 4])
        let inputs = PolicyInputs(
            market, normalisation: FeatureNormalisation(fitting: FeatureBuilder.compute(market), rows: 0..<100, clip: 5),
            regimeModel: nil)
        for (k, period) in plain.periods.enumerated() {
            let row = k
            let w = Tensor<Double>(shape: [1, 5], scalars: weights + [1 - weights.reduce(0, +)])
            let (net, next) = DifferentiableAccounting.step(
                weights: w, held: held, nextReturns: Tensor(shape: [1, 4], scalars: inputs.nextReturns[row].map(Double.init)),
                costs: try Self.costs(market, feeBasisPoints: 25), decisionRows: [row])
            // Inputs are stored as Float: agree to Float precision.
            #expect(Swift.abs(net.scalar - period.netReturn) < 1e-6, "period \(k)")
            held = next
        }
    }

    @Test("with dated futures, the differentiable accounting charges both legs of each roll exactly as the simulator")
    func matchesSimulatorWithFutures() throws {
        let market = try Fixtures.load(SyntheticMarket(assets: 4, periods: 200, seed: 3, futures: 2))
        let weights: [Double] = [0.2, 0.2, 0.25, 0.25]
        var settings = BacktestSettings()
        settings.firstReturnRow = 60
        settings.lastReturnRow = 180
        settings.feeBasisPoints = 25
        let plain = try Simulator.run(FixedWeights(weights: weights), on: market, settings: settings)
        let inputs = PolicyInputs(
            market, normalisation: FeatureNormalisation(fitting: FeatureBuilder.compute(market), rows: 0..<100, clip: 5),
            regimeModel: nil)
        #expect(inputs.rollsAnyAsset)
        var held = Tensor<Double>.zeros([1, 4])
        var rolled = 0
        for (k, period) in plain.periods.enumerated() {
            let row = 59 + k
            rolled += inputs.rolling[row].filter { $0 == 1 }.count
            let (net, next) = DifferentiableAccounting.step(
                weights: Tensor(shape: [1, 5], scalars: weights + [0.1]), held: held,
                nextReturns: Tensor(shape: [1, 4], scalars: inputs.nextReturns[row].map(Double.init)),
                rolling: Tensor(shape: [1, 4], scalars: inputs.rolling[row].map(Double.init)),
                costs: try Self.costs(market, feeBasisPoints: 25), decisionRows: [row])
            #expect(Swift.abs(net.scalar - period.netReturn) < 1e-6, "period \(k)")
            held = next
        }
        #expect(rolled >= 6)
        // Negative control: without the roll legs the turnover (and so the return) differs on a roll.
        let rollRow = try #require((59...179).first { inputs.rolling[$0].contains(1) })
        let drifted = Tensor<Double>(shape: [1, 4], scalars: weights)
        let (withRoll, _) = DifferentiableAccounting.step(
            weights: Tensor(shape: [1, 5], scalars: weights + [0.1]), held: drifted,
            nextReturns: Tensor(shape: [1, 4], scalars: inputs.nextReturns[rollRow].map(Double.init)),
            rolling: Tensor(shape: [1, 4], scalars: inputs.rolling[rollRow].map(Double.init)),
            costs: DifferentiableCosts(trading: [ProportionalFee(basisPoints: 25)], holding: []), decisionRows: [rollRow])
        let (withoutRoll, _) = DifferentiableAccounting.step(
            weights: Tensor(shape: [1, 5], scalars: weights + [0.1]), held: drifted,
            nextReturns: Tensor(shape: [1, 4], scalars: inputs.nextReturns[rollRow].map(Double.init)),
            costs: DifferentiableCosts(trading: [ProportionalFee(basisPoints: 25)], holding: []), decisionRows: [rollRow])
        #expect(withRoll.scalar < withoutRoll.scalar - 1e-4)
    }

    @Test(
        "the policy's gradient through a rollout passes a central-difference check in Float64 (with and without sleeves)",
        arguments: [false, true])
    func gradientCheck(sleeves: Bool) throws {
        let market = try Self.market(assets: 3, periods: 160)
        let inputs = PolicyInputs(
            market, normalisation: FeatureNormalisation(fitting: FeatureBuilder.compute(market), rows: 0..<100, clip: 5),
            regimeModel: nil, sleeves: sleeves ? PolicySleeve.all : [])
        let network = PolicyNetwork<Double>(
            scorerInputs: inputs.scorerInputs, cashInputs: inputs.cashInputs, hidden: [4], seed: 5,
            sleeves: inputs.sleeves.count, tilt: 0.7)
        // A sleeve policy starts with its output layers and mixer at zero: move them off that point.
        var g = SeededGenerator(seed: 2)
        if sleeves { for parameter in network.anchoredParameters { parameter.assign(g.normalTensor(parameter.shape) * 0.5) } }
        let holding: [[Double]] = [[0.2, 0.3, 0.1], [0.1, 0.1, 0.5]]
        let costs = try Self.costs(market, feeBasisPoints: 10)
        let report = GradientCheck.check(inputs: [], parameters: network.parameters, relative: 1e-5, absolute: 1e-8) { _ in
            let returns = PolicyRollout.netReturns(
                network, inputs, starts: [120, 131], length: 3, costs: costs, initialHolding: holding)
            return (returns + 1).log().mean() - returns.squared().mean()
        }
        #expect(report.passed, "\(report)")
        #expect(report.checked == network.parameters.reduce(0) { $0 + $1.shape.elementCount })
    }

    @Test("held weights drift in the differentiable accounting exactly as WeightDrift (the simulator's and the daily job's) says")
    func driftMatchesAccounting() {
        var g = SeededGenerator(seed: 11)
        for _ in 0..<50 {
            let n = 5
            var raw = (0...n).map { _ in g.nextUnitInterval() }
            raw[Int(g.next() % UInt64(n))] = 0
            let total = raw.reduce(0, +)
            let weights = raw.map { $0 / total }
            let returns = (0..<n).map { _ in 0.1 * g.nextStandardNormal() }
            let (_, drifted) = DifferentiableAccounting.step(
                weights: Tensor(shape: [1, n + 1], scalars: weights), held: Tensor(shape: [1, n], scalars: Array(weights[..<n])),
                nextReturns: Tensor(shape: [1, n], scalars: returns),
                costs: DifferentiableCosts(trading: [], holding: []), decisionRows: [0])
            let expected = WeightDrift.drifted(Array(weights[..<n])) { returns[$0] }
            for asset in 0..<n { #expect(Swift.abs(drifted.scalars[asset] - expected[asset]) <= 1e-14) }
        }
    }
}
