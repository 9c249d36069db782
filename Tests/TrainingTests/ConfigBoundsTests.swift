import Artifacts
import Foundation
import Inference
import Market
import ModelStore
import Policy
import Portfolio
import Support
import TestSupport
import Testing
import Training

/// A published version always loads: a model trained with a config at each bound of its
/// ranges (the others small) publishes, loads from the registry and decides in the daily job;
/// a bound training cannot meet on this data is refused (65) before anything is published.
@Suite("Training at the config bounds")
struct ConfigBoundsTests {
    /// Each bound, set on the small config (1 epoch of 1 step, a window of 1).
    static let bounds: [(String, @Sendable (inout TrainingConfig) -> Void)] = [
        ("regime_states 64", { $0.regimeStates = 64 }),
        ("regime_states 1", { $0.regimeStates = 1 }),
        ("regime_restarts 100", { $0.regimeRestarts = 100 }),
        ("hidden: 8 layers of 1024", { $0.hidden = Array(repeating: 1024, count: 8) }),
        ("hidden [1]", { $0.hidden = [1] }),
        ("batch 4096", { $0.batch = 4_096 }),
        ("ensemble 64", { $0.ensemble = 64 }),
        (
            "learning_rate 10, clip 1e9",
            {
                $0.learningRate = 10; $0.clip = 1e9
            }
        ),
        (
            "learning_rate 1e-9, clip 1e-9",
            {
                $0.learningRate = 1e-9; $0.clip = 1e-9
            }
        ),
        (
            "fee_bps 1000, risk_penalty 1e6",
            {
                $0.feeBps = 1_000; $0.riskPenalty = 1e6
            }
        ),
        (
            "budget: tau 10, band 2, rebalance 90",
            { c in
                var design = BudgetDesign()
                design.tau = 10
                design.band = 2
                design.rebalance = 90
                design.rebalanceOffset = 89
                design.window = 2
                design.halfLife = 1
                c.budget = design
            }
        ),
        ("validation_windows 10", { $0.validationWindows = 10 }),
    ]

    @Test(
        "trained at a bound, a version publishes, loads and decides in the daily job (or training refuses with 65)",
        arguments: bounds.indices)
    func trainsAtBound(_ index: Int) throws {
        let (name, apply) = Self.bounds[index]
        let (market, directory) = try SignalMarket.make()
        var config = TrainingConfig.small(epochs: 1, stepsPerEpoch: 1)
        config.window = 1
        config.batch = 2
        config.regimeRestarts = 1
        apply(&config)
        #expect(config.problems.isEmpty, "\(name): \(config.problems)")
        let outcome: PolicyTrainer.Outcome
        do {
            outcome = try PolicyTrainer.train(market, config: config, name: "bound")
        } catch let failure as PolicyTrainer.Failure {
            #expect(failure.exitStatus == 65, "\(name)")
            return
        }
        let registry = ModelRegistry(root: try Fixtures.temporaryDirectory())
        let version = try ModelPublisher.publish(
            outcome, name: "bound", dataset: market, dataDirectory: directory, registry: registry)
        let loaded = try PolicyModel.load(try #require(ModelRegistry.Reference(parsing: "bound:\(version)")), from: registry)
        let last = market.rowCount - 1
        let decided = try DailyInference.run(
            model: loaded.allocator, dataset: market, request: DailyInference.Request(asOf: market.dates[last]))
        let weights = decided.file.weights.values
        #expect(weights.allSatisfy(\.isFinite) && Swift.abs(weights.reduce(0, +) - 1) < 1e-6, "\(name): \(decided.file.weights)")
    }
}
