import Features
import Foundation
import Layers
import Market
import Policy
import Portfolio
import Support
import TensorModule
import TestSupport
import Testing

/// The risk-budget policy's layers: the risk-budgeting layer's implicit gradient against
/// central differences in Float64, the untrained policy at its anchor exactly, the regime
/// gate's hysteresis and delay, and no look-ahead in the core.
@Suite("Risk-budget policy")
struct BudgetPolicyTests {
    static let design: BudgetDesign = {
        var d = BudgetDesign()
        d.window = 60
        d.halfLife = 15
        d.tau = 0.8
        return d
    }()

    static func setting() throws -> (market: Dataset, inputs: PolicyInputs, rows: [Int]) {
        let market = try PolicyNetworkTests.market(seed: 5, assets: 5, periods: 400)
        let inputs = PolicyInputs(
            market, normalisation: FeatureNormalisation(fitting: FeatureBuilder.compute(market), rows: 0..<300, clip: 5),
            regimeModel: nil, budget: design)
        return (market, inputs, [20, 150, 260, 399])
    }

    @Test("the layer's gradient matches central differences (Float64), budgets free, one row without a core")
    func layerGradient() throws {
        let (_, inputs, rows) = try Self.setting()
        let cores = rows.map { inputs.cores[$0] }
        #expect(cores[0] == nil && cores.dropFirst().allSatisfy { $0 != nil })
        var generator = SeededGenerator(seed: 3)
        let logBudgets = generator.uniformTensor([rows.count, inputs.assets], in: -1...1)
        let report = GradientCheck.check(inputs: [logBudgets]) { RiskBudgetLayer.weights($0[0].exp(), cores: cores) }
        #expect(report.passed, "\(report)")
        #expect(report.checked == rows.count * inputs.assets)
    }

    @Test("the whole policy's gradient (scorer, tilt, softmax, layer, exposure) matches central differences")
    func policyGradient() throws {
        let (_, inputs, rows) = try Self.setting()
        let network = PolicyNetwork<Double>(
            scorerInputs: inputs.scorerInputs, cashInputs: inputs.cashInputs, hidden: [4], seed: 2, budget: Self.design)
        var generator = SeededGenerator(seed: 9)
        for parameter in network.scorer.parameters {
            parameter.assign(generator.uniformTensor(parameter.shape, in: -0.5...0.5))
        }
        let held = Tensor<Double>.zeros([rows.count, inputs.assets])
        let report = GradientCheck.check(inputs: [], parameters: network.scorer.parameters) { _ in
            network.decide(inputs, rows: rows, held: held)
        }
        #expect(report.passed, "\(report)")
        #expect(report.checked > 0)
    }

    @Test("untrained, the policy is its anchor exactly: the core's weights times the exposure, the rest cash")
    func untrainedIsAnchor() throws {
        let (_, inputs, rows) = try Self.setting()
        let network = PolicyNetwork<Double>(
            scorerInputs: inputs.scorerInputs, cashInputs: inputs.cashInputs, hidden: [8], seed: 4, budget: Self.design)
        let w = network.decide(inputs, rows: rows, held: .zeros([rows.count, inputs.assets]))
        let n = inputs.assets
        for (i, row) in rows.enumerated() {
            let got = Array(w.scalars[(i * (n + 1))..<((i + 1) * (n + 1))])
            guard let core = inputs.cores[row] else {
                #expect(got == Array(repeating: 0, count: n) + [1])
                continue
            }
            var want = [Double](repeating: 0, count: n)
            for (k, asset) in core.assets.enumerated() { want[asset] = core.weights[k] * inputs.exposures[row] }
            for asset in 0..<n { #expect(Swift.abs(got[asset] - want[asset]) < 1e-12) }
            #expect(Swift.abs(got[n] - (1 - inputs.exposures[row])) < 1e-12)
        }
        // Negative control: a non-zero tilt moves the weights.
        for parameter in network.scorer.parameters { parameter.assign(Tensor(repeating: 0.3, shape: parameter.shape)) }
        let tilted = network.decide(inputs, rows: rows, held: .zeros([rows.count, inputs.assets]))
        #expect(zip(tilted.scalars, w.scalars).contains { Swift.abs($0 - $1) > 1e-4 })
    }

    @Test("the min-variance anchor's budgets are the long-only min-variance weights where they are above the floor")
    func anchorIsMinimumVariance() throws {
        let (_, inputs, _) = try Self.setting()
        let core = try #require(inputs.cores[399])
        let m = core.assets.count
        let scale = (0..<m).reduce(0) { $0 + core.covariance[$1 * m + $1] } / Double(m)
        let qp = try SimplexQP.solve(
            q: core.covariance.map { 2 * $0 / scale }, c: Array(repeating: 0, count: m), a: Array(repeating: 1, count: m)
        ).x
        let floor = Self.design.floor / Double(m)
        let floored = qp.map { max($0, floor) }
        let total = floored.reduce(0, +)
        for k in 0..<m { #expect(Swift.abs(core.anchor[k] - floored[k] / total) < 1e-12) }
        // Risk contributions of the core's weights are in the anchor's proportions.
        let contributions = (0..<m).map { i in
            core.weights[i] * (0..<m).reduce(0) { $0 + core.covariance[i * m + $1] * core.weights[$1] }
        }
        let risk = contributions.reduce(0, +)
        for k in 0..<m { #expect(Swift.abs(contributions[k] / risk - core.anchor[k]) < 1e-9) }
    }

    @Test(
        "the gate closes above enter, reopens only below exit, one period late",
        arguments: [
            ([0.1, 0.8, 0.6, 0.4, 0.2, 0.5], [1, 1, 0.5, 0.5, 0.5, 1] as [Double]),
            ([0.75, 0.75, 0.29, 0.31], [1, 0.5, 0.5, 1]),
            ([0.69, 0.7, 0.5], [1, 1, 1]),
        ])
    func gate(_ probabilities: [Double], _ expected: [Double]) {
        #expect(RegimeGate.path(RegimeGate.Spec(), turbulentProbability: probabilities) == expected)
    }

    @Test("the gate stays open before the first observation")
    func gateBeforeObservations() {
        #expect(RegimeGate.path(RegimeGate.Spec(), turbulentProbability: [nil, nil, 0.9, nil]) == [1, 1, 1, 0.5])
    }

    @Test("no look-ahead: changing every price after a row leaves the core and exposure at and before it unchanged")
    func coreIsCausal() throws {
        let (market, inputs, _) = try Self.setting()
        let poisoned = market.poisoned(afterRow: 250)
        let changed = PolicyInputs(
            poisoned, normalisation: FeatureNormalisation(fitting: FeatureBuilder.compute(market), rows: 0..<300, clip: 5),
            regimeModel: nil, budget: Self.design)
        for row in [100, 200, 250] {
            #expect(changed.cores[row] == inputs.cores[row])
            #expect(changed.exposures[row] == inputs.exposures[row])
        }
        // Negative control: the poisoned future does move a later core.
        #expect(changed.cores[300] != inputs.cores[300])
    }
}
