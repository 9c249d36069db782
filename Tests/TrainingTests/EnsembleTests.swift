import Backtest
import Baselines
import Foundation
import Market
import ModelStore
import Policy
import Portfolio
import Support
import TensorModule
import TestSupport
import Testing
import WindowRules

@testable import Training

@Suite("Seed ensembles")
struct EnsembleTests {
    @Test("members train from their own seeds, the first is the single-network model, and the policy decides by their mean")
    func meanOfMembers() throws {
        let (market, _) = try TrainingTests.signalMarket()
        var config = TrainingTests.smallConfig
        config.epochs = 3
        let single = try PolicyTrainer.train(market, config: config, name: "s")
        config.ensemble = 3
        let ensemble = try PolicyTrainer.train(market, config: config, name: "e")
        #expect(ensemble.allocator.members.count == 3)
        #expect(ensemble.allocator.members[0].parameters.map(\.value.scalars) == single.allocator.parameters.map(\.value.scalars))
        #expect(
            ensemble.allocator.members[1].parameters.map(\.value.scalars)
                != ensemble.allocator.members[2].parameters.map(\.value.scalars))
        #expect(Set(ensemble.history.map(\.member)) == [1, 2, 3])

        let row = ensemble.trainRows.upperBound
        let together = try ensemble.allocator.allocate(market.view(throughRow: row)).weights
        let alone = try ensemble.allocator.members.map { member in
            try PolicyAllocator(
                name: "m", members: [member], normalisation: ensemble.normalisation, regimeModel: ensemble.regimeModel,
                spec: config.features
            ).allocate(market.view(throughRow: row)).weights
        }
        for asset in together.indices {
            let mean = alone.map { $0[asset] }.reduce(0, +) / 3
            #expect(Swift.abs(together[asset] - mean) < 1e-12)
        }
        #expect(together.allSatisfy { $0 >= 0 } && together.reduce(0, +) <= 1 + 1e-9)
        #expect(Set(alone.map { $0.map { ($0 * 1e6).rounded() } }).count > 1, "the members should disagree somewhere")
    }

    @Test("members trained in parallel give the bytes of members trained one after another (and their history)")
    func parallelMembersMatchSequential() throws {
        let (market, _) = try TrainingTests.signalMarket()
        var config = TrainingTests.smallConfig
        config.epochs = 3
        config.ensemble = 3
        config.regimeRestarts = 3
        // No budget: the members train in parallel; a budget never reached: one after another.
        let parallel = try PolicyTrainer.train(market, config: config, name: "e")
        let sequential = try PolicyTrainer.train(market, config: config, name: "e", epochBudget: 1_000)
        #expect(parallel.allocator.parameters.map(\.value.scalars) == sequential.allocator.parameters.map(\.value.scalars))
        #expect(parallel.history.map(\.loss) == sequential.history.map(\.loss))
        #expect(parallel.history.map(\.member) == sequential.history.map(\.member))
        #expect(parallel.regimeModel == sequential.regimeModel)
        // Negative control: another seed moves the bytes, so the equality above can fail.
        config.seed += 1
        let other = try PolicyTrainer.train(market, config: config, name: "e")
        #expect(other.allocator.parameters.map(\.value.scalars) != parallel.allocator.parameters.map(\.value.scalars))
    }

    @Test(
        "an ensemble publishes, reloads with every member (and its sleeves), and backtests to the same bytes as before saving",
        arguments: [false, true])
    func roundTrip(sleeves: Bool) throws {
        let (market, directory) = try TrainingTests.signalMarket()
        var config = TrainingTests.smallConfig
        config.epochs = 2
        config.ensemble = 2
        if sleeves { config.sleeves = [.baseline(.minimumVariance), .cash, .baseline(.hierarchicalRiskParity)] }
        let outcome = try PolicyTrainer.train(market, config: config, name: "ens")
        let registry = ModelRegistry(root: try Fixtures.temporaryDirectory())
        let version = try ModelPublisher.publish(
            outcome, name: "ens", dataset: market, dataDirectory: directory, registry: registry)
        let loaded = try PolicyModel.load(try #require(ModelRegistry.Reference(parsing: "ens:\(version)")), from: registry)
        #expect(loaded.manifest.network.members == 2)
        #expect(loaded.manifest.network.sleeves == (sleeves ? config.sleeves : nil))
        #expect(loaded.allocator.sleeves == config.sleeves)
        #expect(loaded.allocator.parameters.map(\.value.scalars) == outcome.allocator.parameters.map(\.value.scalars))
        var settings = BacktestSettings()
        settings.firstReturnRow = outcome.validationRows.lowerBound + 1
        settings.lastReturnRow = outcome.validationRows.upperBound
        let before = try Simulator.run(outcome.allocator, on: market, settings: settings)
        let after = try Simulator.run(loaded.allocator, on: market, settings: settings)
        #expect(before.periods.map(\.wealth) == after.periods.map(\.wealth))
        let log = try String(
            contentsOf: registry.directory("ens", version).appendingPathComponent("training-log.jsonl"), encoding: .utf8)
        let lines = try log.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(lines.contains { $0["member"] as? Int == 2 && $0["epoch"] as? Int == 1 && $0["loss"] is Double })
    }
}

@Suite("Training log")
struct TrainingLogTests {
    @Test("a non-finite loss or Sharpe is written as null and the line stays valid JSON")
    func nonFiniteIsNull() throws {
        let line = try CanonicalJSON.encodeLine(
            TrainingLogLine(PolicyTrainer.Epoch(member: 1, epoch: 3, loss: .nan, validationSharpe: .infinity)))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["loss"] is NSNull && object["validation_sharpe"] is NSNull && object["epoch"] as? Int == 3)
        #expect(!line.contains("\n"))
    }
}
