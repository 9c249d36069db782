import Foundation
import Optimizers
import Policy
import Portfolio
import TensorModule
import TestSupport
import Testing
import Training

/// A proportional fee at a given rate (the fixture's trading term, read back).
private struct FixedFee: DifferentiableTradingCost {
    let rate: Double
    func cost(of trade: Trade) -> Double { rate * trade.turnover }
    func form(decisionRows: [Int]) -> TradingCostForm { .proportional(rate: rate) }
}

/// A holding term with given rates per decision row and asset (the fixture's funding, read back).
private struct TableFunding: DifferentiableHoldingCost {
    let table: [[Double]]
    func rates(decisionRows: [Int], assets: Int) -> [Double] { decisionRows.flatMap { table[$0] } }
    func cost(holding weights: [Double], overPeriod row: Int) -> Double {
        zip(weights, table[row - 1]).reduce(0) { $0 + $1.0 * $1.1 }
    }
}

/// Regimen's policy training step against its PyTorch twin (`scripts/bench/policy_torch.py`,
/// issue 31). The fixture's inputs are what `regimen-bench policy-train --dump` wrote for the
/// default recipe on data/synthetic (4 windows of 10 per step, 2 steps, a clip that acts at the
/// first); the twin computed each step's loss, gradient norm and gradients and the parameters
/// after the second clipped Adam step in float64 (`scripts/fixtures/make_policy_step_fixture.sh`).
/// Regimen recomputes them in Double with the trainer's own code (`PolicyStep`).
@Suite("Policy training step against the PyTorch twin")
struct PolicyTwinTests {
    /// The twin's numbers.
    struct Expected: Decodable {
        struct Named: Decodable {
            let name: String
            let values: [Double]
        }
        struct Step: Decodable {
            let loss: Double
            let gradientNorm: Double
            let gradients: [Named]
        }
        let steps: [Step]
        let parametersAfter: [Named]
    }

    /// Regimen's numbers from the same inputs.
    struct Replay {
        var losses: [Double] = []
        var norms: [Double] = []
        /// Per step, per parameter.
        var gradients: [[[Double]]] = []
        var parameters: [[Double]] = []
        var names: [String] = []
    }

    /// The fixture pair `PREFIX-inputs.json` (the dump) and `PREFIX-expected.json` (the twin's numbers).
    static func load(_ prefix: String = "policy-step") throws -> (PolicyStepDump, Expected) {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let dump = try decoder.decode(PolicyStepDump.self, from: Data(contentsOf: Fixtures.url("\(prefix)-inputs.json")))
        let expected = try decoder.decode(Expected.self, from: Data(contentsOf: Fixtures.url("\(prefix)-expected.json")))
        return (dump, expected)
    }

    /// The dump's rows as policy inputs (row k of the dump is row k here), with a risk-budget
    /// dump's cores and exposures.
    /// - Parameter covariance: applied to each core's covariance (a negative control).
    static func inputs(_ dump: PolicyStepDump, covariance: ([Double]) -> [Double] = { $0 }) -> PolicyInputs {
        func narrow(_ table: [[Double]]) -> [[Float]] { table.map { $0.map(Float.init) } }
        let cores = (dump.budget?.cores ?? []).map { core in
            core.map {
                BudgetCore(
                    assets: $0.assets, covariance: covariance($0.covariance), anchor: $0.anchor,
                    volatilityScale: $0.volatilityScale)
            }
        }
        return PolicyInputs(
            assets: dump.assets, assetFeatureCount: dump.assetFeatureCount, marketFeatureCount: dump.marketFeatureCount,
            regimes: dump.regimes, assetFeatures: narrow(dump.assetFeatures), marketFeatures: narrow(dump.marketFeatures),
            listed: narrow(dump.listed), nextReturns: narrow(dump.nextReturns),
            rolling: narrow(dump.rolling ?? dump.rows.map { _ in Array(repeating: 0, count: dump.assets) }),
            cores: cores, exposures: dump.budget?.exposures ?? [])
    }

    /// Every step of the dump in Double: loss, gradients, `PolicyStep.update`.
    /// - Parameters:
    ///   - feeScale: multiplies every fee rate (a negative control).
    ///   - clip: replaces the dump's clip (a negative control).
    ///   - tauScale: multiplies a risk-budget dump's tilt bound (a negative control).
    ///   - covariance: applied to each core's covariance (a negative control).
    static func replay(
        _ dump: PolicyStepDump, feeScale: Double = 1, clip: Double? = nil, tauScale: Double = 1,
        covariance: ([Double]) -> [Double] = { $0 }
    ) -> Replay {
        let inputs = inputs(dump, covariance: covariance)
        let place = Dictionary(uniqueKeysWithValues: dump.rows.enumerated().map { ($1, $0) })
        let network = PolicyNetwork<Double>(
            scorerInputs: inputs.scorerInputs, cashInputs: inputs.cashInputs, hidden: dump.config.hidden, seed: 0,
            name: dump.name,
            budget: dump.budget.map { budget in
                var design = BudgetDesign()
                design.tau = budget.tau * tauScale
                return design
            })
        for (parameter, stored) in zip(network.parameters, dump.parameters) {
            parameter.assign(Tensor(shape: stored.shape, scalars: stored.values))
        }
        let costs = DifferentiableCosts(
            trading: dump.tradingRates.map { FixedFee(rate: $0 * feeScale) }, holding: dump.holdingRates.map(TableFunding.init))
        var config = TrainingConfig()
        (config.hidden, config.window, config.batch) = (dump.config.hidden, dump.config.window, dump.config.batch)
        (config.learningRate, config.clip, config.riskPenalty) =
            (dump.config.learningRate, clip ?? dump.config.clip, dump.config.riskPenalty)
        (config.riskMeasure, config.objective, config.anchorPenalty) =
            (dump.config.riskMeasure, dump.config.objective, dump.config.anchorPenalty)
        var adam = Adam<Double>(learningRate: config.learningRate)
        var replay = Replay(names: network.parameters.map(\.name))
        for starts in dump.starts {
            let loss = PolicyStep.loss(
                network, inputs, starts: starts.map { place[$0]! }, config: config, costs: costs, anchor: [])
            let gradients = loss.gradients()
            replay.losses.append(loss.scalar)
            replay.norms.append(gradients.globalNorm(of: network.parameters))
            replay.gradients.append(network.parameters.map { gradients[$0]?.scalars ?? [] })
            PolicyStep.update(network, gradients: gradients, clip: config.clip, adam: &adam)
        }
        replay.parameters = network.parameters.map(\.value.scalars)
        return replay
    }

    /// The largest relative difference of `actual` from `expected`, each element measured
    /// against `max(|expected|, 1e-3 x the largest |expected|, floor)`, so that elements far
    /// below their tensor's scale (exact zeros of unlisted assets' paths) do not dominate. Two
    /// empty lists (a parameter without a gradient on both sides) agree.
    /// - Parameter floor: the smallest scale (for gradients: 1e-9 of the step's gradient norm,
    ///   so that a gradient that is zero but for rounding is not measured against itself).
    static func worstRelative(_ actual: [Double], _ expected: [Double], floor: Double = 0) -> Double {
        if actual.isEmpty && expected.isEmpty { return 0 }
        guard actual.count == expected.count, !expected.isEmpty else { return .infinity }
        let scale = Swift.max(1e-3 * expected.map(Swift.abs).max()!, floor, .leastNormalMagnitude)
        return zip(actual, expected).map { Swift.abs($0 - $1) / Swift.max(Swift.abs($1), scale) }.max()!
    }

    /// The largest relative difference over everything the twin wrote.
    static func worstRelative(_ replay: Replay, _ expected: Expected) -> Double {
        var worst = worstRelative(replay.losses, expected.steps.map(\.loss))
        worst = max(worst, worstRelative(replay.norms, expected.steps.map(\.gradientNorm)))
        for (mine, theirs) in zip(replay.gradients, expected.steps) {
            for (values, named) in zip(mine, theirs.gradients) {
                worst = max(worst, worstRelative(values, named.values, floor: 1e-9 * theirs.gradientNorm))
            }
        }
        for (values, named) in zip(replay.parameters, expected.parametersAfter) {
            worst = max(worst, worstRelative(values, named.values))
        }
        return worst
    }

    @Test("the fixture is the default recipe's step (smaller windows, a clip that acts), with the twin's parameter names")
    func fixtureIsTheDefaultRecipe() throws {
        let (dump, expected) = try Self.load()
        let defaults = TrainingConfig()
        #expect(dump.config.hidden == defaults.hidden && dump.config.learningRate == defaults.learningRate)
        #expect(dump.config.riskPenalty == defaults.riskPenalty && dump.config.riskMeasure == defaults.riskMeasure)
        #expect(dump.config.objective == defaults.objective && dump.config.anchorPenalty == 0)
        #expect(dump.tradingRates == [defaults.feeBps / 10_000] && dump.holdingRates.count == 1)
        #expect(dump.holdingRates[0].contains { $0.contains { $0 != 0 } }, "funding is charged somewhere")
        #expect(dump.listed.contains { $0.contains(0) }, "some window has an unlisted asset")
        #expect(expected.steps.count == 2 && expected.steps.count == dump.starts.count)
        #expect(expected.steps[0].gradientNorm > dump.config.clip && expected.steps[1].gradientNorm < dump.config.clip)
        let names = Self.replay(dump).names
        #expect(names == dump.parameters.map(\.name))
        #expect(expected.steps.allSatisfy { $0.gradients.map(\.name) == names } && expected.parametersAfter.map(\.name) == names)
    }

    @Test("loss, gradient norm, every gradient and the parameters after two clipped Adam steps agree with the twin to 1e-6")
    func agreesWithTwin() throws {
        let (dump, expected) = try Self.load()
        let worst = Self.worstRelative(Self.replay(dump), expected)
        #expect(worst < 1e-6, "largest relative difference \(worst)")
    }

    @Test("negative controls: a fee of 11 bps instead of 10 moves the loss, and an inactive clip the parameters, beyond 1e-6")
    func perturbedStepsDisagree() throws {
        let (dump, expected) = try Self.load()
        let higherFee = Self.replay(dump, feeScale: 1.1)
        #expect(Self.worstRelative([higherFee.losses[0]], [expected.steps[0].loss]) > 1e-3)
        let unclipped = Self.replay(dump, clip: 1)
        let parameters = zip(unclipped.parameters, expected.parametersAfter).map { Self.worstRelative($0, $1.values) }
        #expect(parameters.max()! > 1e-4)
    }
}
