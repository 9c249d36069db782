import Foundation
import Optimizers
import Policy
import TensorModule
import Testing
import Training

/// The risk-budget policy's training step against its PyTorch twin (`scripts/bench/policy_torch.py`,
/// issue 31): the scorer's tilt of the anchor budgets, the risk-budgeting layer (an inner Newton
/// solve per decision, differentiated implicitly), the accounting, the loss, the clip and Adam.
/// The fixture's inputs are what `regimen-bench policy-train --dump` wrote for
/// `Fixtures/budget-step-config.yaml` (recipes/budget.yaml's policy at tau 1.5, 4 windows of 10
/// per step, 2 steps) on data/synthetic, cores and exposures included; the twin computed each
/// step's loss, gradient norm and gradients and the parameters after the second clipped Adam
/// step in float64 (`scripts/fixtures/make_policy_step_fixture.sh`). Regimen replays them in
/// Double with the trainer's own code (`PolicyTwinTests.replay`).
@Suite("Risk-budget training step against the PyTorch twin")
struct BudgetTwinTests {
    static func load() throws -> (PolicyStepDump, PolicyTwinTests.Expected) { try PolicyTwinTests.load("budget-step") }

    @Test("the fixture is the budget policy's step: cores of several sizes and none, exposures below 1, a clip that acts")
    func fixtureIsTheBudgetPolicy() throws {
        let (dump, expected) = try Self.load()
        let budget = try #require(dump.budget)
        #expect(budget.tau == 1.5 && dump.config.hidden == [16] && dump.tradingRates == [0.001])
        #expect(budget.cores.count == dump.rows.count && budget.exposures.count == dump.rows.count)
        #expect(budget.cores.contains { $0 == nil }, "some window holds cash (no core)")
        #expect(Set(budget.cores.compactMap { $0?.assets.count }).count >= 3, "cores of several sizes")
        #expect(budget.exposures.contains { $0 > 0 && $0 < 1 }, "the volatility target or the gate acts")
        #expect(expected.steps.count == 2 && expected.steps.count == dump.starts.count)
        #expect(expected.steps[0].gradientNorm > dump.config.clip && expected.steps[1].gradientNorm < dump.config.clip)
        let names = PolicyTwinTests.replay(dump).names
        #expect(names == dump.parameters.map(\.name) && expected.parametersAfter.map(\.name) == names)
        // The cash layer is unused by a budget policy: no gradient on either side.
        #expect(expected.steps.allSatisfy { $0.gradients.filter { $0.name.contains(".cash.") }.allSatisfy(\.values.isEmpty) })
    }

    @Test("after the first step the tilt moves the weights off the anchor, so the second step's solves do work")
    func secondStepIsTilted() throws {
        let (dump, _) = try Self.load()
        let inputs = PolicyTwinTests.inputs(dump)
        var design = BudgetDesign()
        design.tau = try #require(dump.budget).tau
        let network = PolicyNetwork<Double>(
            scorerInputs: inputs.scorerInputs, cashInputs: inputs.cashInputs, hidden: dump.config.hidden, seed: 0,
            name: dump.name, budget: design)
        for (parameter, stored) in zip(network.parameters, dump.parameters) {
            parameter.assign(Tensor(shape: stored.shape, scalars: stored.values))
        }
        let place = Dictionary(uniqueKeysWithValues: dump.rows.enumerated().map { ($1, $0) })
        let rows = dump.starts[1].map { place[$0]! }
        let held = Tensor<Double>(
            shape: [rows.count, dump.assets], scalars: Array(repeating: 0, count: rows.count * dump.assets))
        let anchorWeights = network.decide(inputs, rows: rows, held: held).scalars
        var config = TrainingConfig()
        (config.window, config.batch, config.hidden) = (dump.config.window, dump.config.batch, dump.config.hidden)
        var adam = Adam<Double>(learningRate: dump.config.learningRate)
        let loss = PolicyStep.loss(
            network, inputs, starts: dump.starts[0].map { place[$0]! }, config: config,
            costs: DifferentiableCosts(trading: [], holding: []), anchor: [])
        PolicyStep.update(network, gradients: loss.gradients(), clip: 1, adam: &adam)
        let tilted = network.decide(inputs, rows: rows, held: held).scalars
        let moved = zip(tilted, anchorWeights).map { Swift.abs($0 - $1) }.max()!
        #expect(moved > 1e-3, "the weights moved by \(moved)")
    }

    @Test("loss, gradient norm, every gradient and the parameters after two clipped Adam steps agree with the twin to 1e-6")
    func agreesWithTwin() throws {
        let (dump, expected) = try Self.load()
        let worst = PolicyTwinTests.worstRelative(PolicyTwinTests.replay(dump), expected)
        print("BudgetTwinTests: largest relative difference from the twin \(worst)")
        #expect(worst < 1e-6, "largest relative difference \(worst)")
    }

    @Test("negative controls: a tilt bound 1% larger, or the cores' correlations 1% weaker, move the step beyond 1e-6")
    func perturbedStepsDisagree() throws {
        let (dump, expected) = try Self.load()
        let wider = PolicyTwinTests.replay(dump, tauScale: 1.01)
        #expect(PolicyTwinTests.worstRelative(wider, expected) > 1e-4)
        let weaker = PolicyTwinTests.replay(dump) { covariance in
            let m = Int(Double(covariance.count).squareRoot())
            return covariance.enumerated().map { $0.offset % (m + 1) == 0 ? $0.element : 0.99 * $0.element }
        }
        #expect(PolicyTwinTests.worstRelative(weaker, expected) > 1e-4)
    }
}
