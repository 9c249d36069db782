import Backtest
import Features
import Foundation
import Market
import ModelStore
import Policy
import Portfolio
import Support
import TestSupport
import Testing
import Training

/// Training the risk-budget policy and the nested selection: the config's rules, the
/// validation windows, the score, and a nested run that chooses a candidate, keeps seeds x
/// windows members and publishes the chosen config (which the registry loads back).
@Suite("Risk-budget training and nested selection")
struct BudgetTrainingTests {
    static func config() -> TrainingConfig {
        var config = TrainingConfig.small(epochs: 2, stepsPerEpoch: 2, ensemble: 2)
        var design = BudgetDesign()
        design.window = 30
        design.halfLife = 10
        config.budget = design
        return config
    }

    @Test(
        "budget and select settings out of their rules are refused by name (negative control: sound ones pass)",
        arguments: [
            ("budget: {tau: 1, band: 0.05, target_vol: null, gate: null}\n", nil),
            ("budget: {}\nvalidation_windows: 3\nselect: {tau: [0, 0.5, 1], band: [0, 0.02]}\n", nil),
            ("budget: {tau: 11}\n", "budget.tau must be from 0 to 10; found 11.0"),
            ("budget: {band: -1}\n", "budget.band must be from 0 to 2; found -1.0"),
            ("budget: {target_vol: 0}\n", "budget.target_vol must be in (0, 10] or null; found 0.0"),
            ("budget: {gate: {enter: 0.2, exit: 0.5}}\n", "budget.gate needs 0 <= exit <= enter <= 1; found exit 0.5, enter 0.2"),
            ("select: {tau: [0, 1]}\n", "select needs a budget: policy (its keys are keys of budget:)"),
            (
                "budget: {}\nselect: {lr: [1]}\n",
                "select.lr is not a key the nested loop chooses; valid: band, half_life, rebalance, target_vol, tau"
            ),
            ("budget: {}\nselect: {tau: [0, 20]}\n", "select.tau: budget.tau must be from 0 to 10; found 20.0"),
            // 10^20 combinations of unknown keys: counting them overflowed and trapped (fuzzer).
            (
                "budget: {}\nselect: {" + (10..<30).map { "k\($0): [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]" }.joined(separator: ", ")
                    + "}\n",
                "select.k10 is not a key the nested loop chooses; valid: band, half_life, rebalance, target_vol, tau"
            ),
            ("budget: {}\nsleeves: [hrp]\n", "a policy has sleeves or a budget, not both"),
            ("validation_windows: 11\n", "validation_windows must be from 1 to 10; found 11"),
            ("budget: {rebalance: 0}\n", "budget.rebalance must be from 1 to 90 days; found 0"),
            ("budget: {rebalance: 7, rebalance_offset: 7}\n", "budget.rebalance_offset must be from 0 to rebalance - 1; found 7"),
            ("budget: {rebalance: 7, rebalance_offset: 6}\n", nil),
            ("budget: {}\nselect: {rebalance: [1, 7.5]}\n", "select.rebalance values must be whole days; found [1.0, 7.5]"),
        ] as [(String, String?)])
    func rules(text: String, problem: String?) throws {
        let config = try YAMLDocument.decode(TrainingConfig.self, from: text, file: "c.yaml")
        if let problem {
            #expect(config.problems.contains(problem), "\(config.problems)")
        } else {
            #expect(config.problems.isEmpty, "\(config.problems)")
        }
        #expect(try JSONDecoder().decode(TrainingConfig.self, from: JSONEncoder().encode(config)) == config)
    }

    @Test("candidates are every combination, keys in name order; the score is mean minus one sample sd")
    func candidatesAndScore() {
        var config = Self.config()
        config.select = ["tau": [0, 1], "band": [0, 0.1]]
        let candidates = NestedSelection.candidates(config)
        #expect(candidates.map { [$0.budget!.band, $0.budget!.tau] } == [[0, 0], [0, 1], [0.1, 0], [0.1, 1]])
        #expect(candidates.allSatisfy { $0.select.isEmpty })
        #expect(NestedSelection.score([1.0, 2.0, 3.0]) == 1.0)
        #expect(NestedSelection.score([0.5]) == 0.5)
        #expect(NestedSelection.score([1.0, nil]) == -.infinity)
        // A steady candidate beats one with a higher mean but one bad window.
        #expect(NestedSelection.score([0.8, 0.9, 0.85]) > NestedSelection.score([2.0, 1.8, -0.9]))
    }

    @Test("a nested run chooses by the score, keeps seeds x windows members, and publishes the chosen config")
    func nestedRun() throws {
        let market = try PolicyTests.market(periods: 420)
        var config = Self.config()
        config.validationWindows = 2
        config.select = ["tau": [0, 0.5], "band": [0, 0.05]]
        var lines: [String] = []
        let outcome = try PolicyTrainer.train(market, config: config, name: "b") { lines.append($0) }
        #expect(outcome.selection.count == 4)
        #expect(outcome.selection.allSatisfy { $0.sharpes.count == 2 })
        let best = outcome.selection.max { $0.score < $1.score }!
        #expect(outcome.config.budget!.tau == best.values["tau"] && outcome.config.budget!.band == best.values["band"])
        #expect(outcome.config.select.isEmpty)
        #expect(outcome.allocator.members.count == 4)
        #expect(Set(outcome.allocator.members.map { $0.budget }).count == 1)
        #expect(lines.contains { $0.hasPrefix("chosen: ") })
        // Candidates differing only in band share their networks: the same validation Sharpe
        // when the band never binds is not required, but tau 0 candidates train nothing.
        let untrained = outcome.selection.filter { $0.values["tau"] == 0 }
        #expect(untrained.count == 2)
        let directory = try Fixtures.temporaryDirectory()
        let registry = ModelRegistry(root: directory)
        let version = try ModelPublisher.publish(
            outcome, name: "b", dataset: market, dataDirectory: directory.path, registry: registry)
        let loaded = try PolicyModel.load(try #require(ModelRegistry.Reference(parsing: "b:\(version)")), from: registry)
        #expect(loaded.manifest.network.budget == outcome.config.budget)
        #expect(loaded.allocator.members.count == 4)
        // The same seed gives the same model.
        let again = try PolicyTrainer.train(market, config: config, name: "b")
        #expect(again.selection == outcome.selection)
        #expect(again.allocator.parameters.map(\.value) == outcome.allocator.parameters.map(\.value))
    }

    @Test("no look-ahead: a trained budget model's decisions up to t are the same when every price after t changes")
    func noLookAhead() throws {
        let market = try PolicyTests.market(periods: 420)
        var config = Self.config()
        config.budget!.tau = 1
        config.budget!.band = 0.02
        let model = try PolicyTrainer.train(market, config: config, name: "n").allocator
        var settings = BacktestSettings()
        settings.firstReturnRow = 300
        settings.lastReturnRow = 419
        settings.feeBasisPoints = 10
        let cut = 360
        let clean = try Simulator.run(model, on: market, settings: settings).periods.map(\.weights)
        let dirty = try Simulator.run(model, on: market.poisoned(afterRow: cut), settings: settings).periods.map(\.weights)
        let decided = cut - 300 + 1
        #expect(Array(clean[..<decided]) == Array(dirty[..<decided]))
        // Negative control: the poisoned future moves later decisions.
        #expect(Array(clean[(decided + 5)...]) != Array(dirty[(decided + 5)...]))
    }

    @Test("a cadence of k days trades only on its days (holding in between) and selection averages its k offsets")
    func cadence() throws {
        let market = try PolicyTests.market(periods: 420)
        var config = Self.config()
        config.budget!.tau = 1
        config.budget!.rebalance = 7
        config.budget!.rebalanceOffset = 3
        let model = try PolicyTrainer.train(market, config: config, name: "c").allocator
        let inputs = try model.inputs(market)
        let n = market.assets.count
        let holding = (0..<n).map { _ in 0.8 / Double(n) }
        var traded = 0
        for row in 300...340 {
            let weights = model.decide(inputs, row: row, holding: holding).weights
            if inputs.days[row] % 7 == 3 {
                traded += weights == holding ? 0 : 1
            } else {
                #expect(weights == holding, "row \(row) is not a trading day")
            }
        }
        #expect(traded >= 5, "the trading days trade (negative control)")
        // With nothing held it trades on any day.
        #expect(model.decide(inputs, row: 301, holding: Array(repeating: 0, count: n)).weights.contains { $0 > 0 })
        var offsets: [Int] = []
        let mean = try PolicyTrainer.cadenceMeanSharpe(config.budget) { design in
            offsets.append(design!.rebalanceOffset)
            return Double(design!.rebalanceOffset)
        }
        #expect(offsets == Array(0..<7) && mean == 3)
    }

    @Test("an exogenous column the data do not have is refused (65) before training; a column they have trains")
    func missingExogenous() throws {
        let market = try PolicyTests.market(periods: 200)
        var config = TrainingConfig.small(epochs: 1, stepsPerEpoch: 1)
        config.features.exogenous = ["NOT_A_COLUMN"]
        let failure = #expect(throws: PolicyTrainer.Failure.self) { try PolicyTrainer.train(market, config: config, name: "x") }
        #expect(failure?.exitStatus == 65 && failure?.description.contains("'NOT_A_COLUMN'") == true)
        config.features.exogenous = [try #require(market.exogenous.first?.name)]
        _ = try PolicyTrainer.train(market, config: config, name: "x")
    }

    @Test("validation windows tile backwards from the validation range; too many are refused by name")
    func windows() throws {
        let market = try PolicyTests.market(periods: 200)
        var config = Self.config()
        config.validationWindows = 9
        config.select = ["tau": [0]]
        #expect(throws: PolicyTrainer.Failure.self) { try PolicyTrainer.train(market, config: config, name: "w") }
    }
}
