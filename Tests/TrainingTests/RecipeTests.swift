import Backtest
import Foundation
@testable import Market
import ModelStore
import Policy
import Portfolio
import Support
import TestSupport
import Testing
import Training

/// A recipe retrained walk-forward: no fold sees its test data, fold models are what the
/// registry holds, and the result does not depend on how many folds train at once.
@Suite("walk-forward recipes", .serialized)
struct RecipeTests {
    static var config: TrainingConfig {
        TrainingConfig.small(epochs: 2, stepsPerEpoch: 3)
    }

    /// 3 folds of 40 test rows after 200 training rows (expanding).
    static func folds(_ market: Dataset) throws -> [WalkForward.Fold] {
        try WalkForwardSpec(train: .periods(200), test: .periods(40), window: .expanding)
            .folds(dates: market.dates, returnRows: 300...419)
    }

    static func train(_ market: Dataset, jobs: Int) throws -> (ModelRegistry, [RecipeTrainer.TrainedFold]) {
        let registry = ModelRegistry(root: try Fixtures.temporaryDirectory())
        let trained = try RecipeTrainer.train(
            market, config: config, name: "recipe", folds: folds(market), jobs: jobs, registry: registry, dataDirectory: "signal")
        return (registry, trained)
    }

    /// The weights file bytes of each fold's published version.
    static func modelBytes(_ registry: ModelRegistry, _ trained: [RecipeTrainer.TrainedFold]) throws -> [Data] {
        try trained.map { fold in
            try ["policy.safetensors", "normalisation.json", "regime.json"].reduce(into: Data()) { bytes, file in
                bytes += try Data(contentsOf: registry.directory("recipe", fold.version).appendingPathComponent(file))
            }
        }
    }

    @Test("every fold trains and validates before its test range, inside its window, and is published")
    func ranges() throws {
        let (market, _) = try SignalMarket.make()
        let (registry, trained) = try Self.train(market, jobs: 1)
        #expect(trained.map(\.version) == [1, 2, 3])
        for fold in trained {
            #expect(fold.trainRows.lowerBound == fold.fold.train.lowerBound)
            #expect(fold.trainRows.upperBound < fold.validationRows.lowerBound)
            // The last validation return (row + 1) is still inside the training window.
            #expect(fold.validationRows.upperBound + 1 <= fold.fold.train.upperBound)
            #expect(fold.fold.train.upperBound < fold.fold.test.lowerBound)
            let manifest =
                try JSONSerialization.jsonObject(
                    with: Data(contentsOf: registry.directory("recipe", fold.version).appendingPathComponent("manifest.json")))
                as! [String: Any]
            let validation = manifest["validation"] as! [String: String]
            #expect(validation["to"]! < market.dates[fold.fold.test.lowerBound].description)
        }
    }

    @Test("poisoning every price after a fold's first test date changes neither its model nor earlier decisions")
    func leakage() throws {
        let (market, _) = try SignalMarket.make()
        let (registry, trained) = try Self.train(market, jobs: 1)
        let cut = trained[1].fold.test.lowerBound
        var poisoned = market.prices
        let n = market.assets.count
        for index in (cut * n)..<poisoned.count where !poisoned[index].isNaN { poisoned[index] *= index % 2 == 0 ? 3 : 0.2 }
        let future = Dataset(
            dates: market.dates, assets: market.assets, prices: poisoned, firstRows: market.firstRows, funding: market.funding,
            exogenous: market.exogenous, config: market.config, periodsPerYear: market.periodsPerYear)
        let (dirtyRegistry, dirtyTrained) = try Self.train(future, jobs: 1)
        let clean = try Self.modelBytes(registry, trained)
        let dirty = try Self.modelBytes(dirtyRegistry, dirtyTrained)
        #expect(clean[0] == dirty[0] && clean[1] == dirty[1], "folds 1 and 2 trained before the poison")
        #expect(clean[2] != dirty[2], "negative control: fold 3 trains on poisoned rows")
        // Stitched decisions of fold 1 (returns up to the cut) are the same.
        var settings = BacktestSettings()
        settings.firstReturnRow = trained[0].fold.test.lowerBound
        settings.lastReturnRow = cut - 1
        let policy = { (folds: [RecipeTrainer.TrainedFold]) in
            WalkForwardPolicy(recipe: "recipe", folds: folds.map { .init(returnRows: $0.fold.test, model: $0.model) })
        }
        let before = try Simulator.run(policy(trained), on: market, settings: settings)
        let after = try Simulator.run(policy(dirtyTrained), on: future, settings: settings)
        #expect(before.periods == after.periods)
    }

    @Test("two folds at once give the same models as one at a time")
    func jobs() throws {
        let (market, _) = try SignalMarket.make()
        let (one, trainedOne) = try Self.train(market, jobs: 1)
        let (two, trainedTwo) = try Self.train(market, jobs: 2)
        #expect(try Self.modelBytes(one, trainedOne) == Self.modelBytes(two, trainedTwo))
    }

    @Test("the stitched path switches models at fold boundaries and keeps the holdings")
    func stitched() throws {
        let (market, _) = try SignalMarket.make()
        let (_, trained) = try Self.train(market, jobs: 1)
        let policy = WalkForwardPolicy(recipe: "recipe", folds: trained.map { .init(returnRows: $0.fold.test, model: $0.model) })
        var settings = BacktestSettings()
        settings.firstReturnRow = 300
        settings.lastReturnRow = 419
        let result = try Simulator.run(policy, on: market, settings: settings)
        #expect(result.periods.count == 120 && result.strategy == "recipe")
        // Each fold's decisions are its own model's: a fold model run alone over its test range
        // from the stitched holdings decides the same first weights.
        for fold in trained {
            let first = fold.fold.test.lowerBound
            let held =
                first == 300
                ? [Double](repeating: 0, count: 3)
                : WeightDrift.drifted(result.periods[first - 301].weights) {
                    market.price(row: first - 1, asset: $0)! / market.price(row: first - 2, asset: $0)! - 1
                }
            let inputs = try fold.model.inputs(market.truncated(throughRow: first - 1))
            let alone = fold.model.decide(inputs, row: first - 1, holding: held)
            #expect(alone.weights == result.periods[first - 300].weights)
        }
    }
}
