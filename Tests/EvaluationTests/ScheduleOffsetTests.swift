import Backtest
import Baselines
import Evaluation
import Market
import Policy
import Portfolio
import TestSupport
import Testing
import Training

/// A policy that trades every k days is evaluated as the mean over its k offsets, not at the
/// one offset it was published with; a policy that trades every day is run once.
@Suite("periodic schedules are reported over every offset")
struct ScheduleOffsetTests {
    /// A small risk-budget policy trading every `rebalance` days.
    static func policy(_ market: Dataset, rebalance: Int) throws -> PolicyAllocator {
        var config = TrainingConfig.small(epochs: 1, stepsPerEpoch: 3)
        var design = BudgetDesign()
        design.window = 60
        design.tau = 1
        design.rebalance = rebalance
        config.budget = design
        return try PolicyTrainer.train(market, config: config, name: "p").allocator
    }

    static func request(_ allocators: [any Allocator]) -> Comparison.Request {
        var request = Comparison.Request(
            allocators: allocators, firstReturnRow: 301, lastReturnRow: 400, feeBasisPoints: 10, rebalance: .every(1))
        request.sensitivityFees = [10]
        request.sensitivitySchedules = [.every(1)]
        return request
    }

    @Test("the entry of a 3-day policy is the mean of its three offsets' runs, which differ; the report says 3")
    func threeOffsets() throws {
        let (market, _) = try SignalMarket.make()
        let policy = try Self.policy(market, rebalance: 3)
        let request = Self.request([policy, Baseline(.equalWeight)])
        let entries = try Comparison.run(market, request).entries
        var settings = BacktestSettings()
        settings.firstReturnRow = 301
        settings.lastReturnRow = 400
        settings.feeBasisPoints = 10
        let runs = try (0..<3).map { try Simulator.run(policy.atScheduleOffset($0), on: market, settings: settings) }
        // Each offset trades on its own days (days since 1970 modulo 3), after the first.
        for (offset, run) in runs.enumerated() {
            let traded = run.periods.dropFirst().filter { $0.turnover > 0 }.map { ($0.date.dayNumber - 1) % 3 }
            #expect(!traded.isEmpty && traded.allSatisfy { ($0 + 3) % 3 == offset }, "offset \(offset): \(traded)")
        }
        #expect(runs[0].periods.map(\.netReturn) != runs[1].periods.map(\.netReturn), "the offsets must differ to test anything")
        let expected = runs.map { $0.periods.map(\.netReturn) }
        let reported = entries[0].result.periods.map(\.netReturn)
        for t in reported.indices {
            let mean = (expected[0][t] + expected[1][t] + expected[2][t]) / 3
            #expect(abs(reported[t] - mean) < 1e-15, "period \(t)")
        }
        #expect(entries[0].scheduleOffsets == 3 && entries[1].scheduleOffsets == 1)
        let verdict = try #require(entries[0].verdict)
        #expect(verdict.benchmark == "equal-weight")
    }

    @Test("a policy that trades every period is run once, as it is (negative control)")
    func everyDay() throws {
        let (market, _) = try SignalMarket.make()
        let policy = try Self.policy(market, rebalance: 1)
        let entries = try Comparison.run(market, Self.request([policy, Baseline(.equalWeight)])).entries
        var settings = BacktestSettings()
        settings.firstReturnRow = 301
        settings.lastReturnRow = 400
        settings.feeBasisPoints = 10
        let single = try Simulator.run(policy, on: market, settings: settings)
        #expect(entries[0].result.periods == single.periods && entries[0].scheduleOffsets == 1)
    }

    @Test(
        "a stitched recipe's cycle is the least common multiple of its folds' cycles, or the longest past 360",
        arguments: [([1, 1], 1), ([2, 3], 6), ([7, 14], 14), ([30, 7], 210), ([89, 90], 90), ([7, 30, 90], 90)])
    func stitchedCycle(cycles: [Int], expected: Int) throws {
        let (market, _) = try SignalMarket.make()
        let base = try Self.policy(market, rebalance: 1)
        let folds = cycles.enumerated().map { index, cycle in
            var members = base.members
            for m in members.indices { members[m].budget?.rebalance = cycle }
            let model = PolicyAllocator(
                name: "p", members: members, normalisation: base.normalisation, regimeModel: base.regimeModel, spec: base.spec)
            return WalkForwardPolicy.Fold(returnRows: (301 + 10 * index)...(310 + 10 * index), model: model)
        }
        let recipe = WalkForwardPolicy(recipe: "r", folds: folds)
        #expect(recipe.scheduleCycle == expected)
        // Each fold's model trades on the recipe's offset modulo its own cycle.
        let shifted = recipe.atScheduleOffset(expected - 1)
        for (fold, cycle) in zip(shifted.folds, cycles) {
            #expect(fold.model.budget?.rebalanceOffset == (expected - 1) % cycle)
        }
    }
}
