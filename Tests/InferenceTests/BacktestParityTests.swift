import Artifacts
import Backtest
import Features
import Foundation
import Inference
import Market
import Options
import Policy
import Portfolio
import Support
import TestSupport
import Testing
import Training

/// Production parity: a backtest of a model under the production limits makes, date by
/// date, the decision the daily job writes for the same model, data and previous weights.
@Suite("backtest and daily job parity under limits")
struct BacktestParityTests {
    /// A small trained model; with `sleeves`, a sleeve-mixture policy over every sleeve; with
    /// `budget`, a risk-budget policy with a no-trade band and the regime gate.
    static func model(_ market: Dataset, sleeves: Bool = false, budget: Bool = false) throws -> PolicyAllocator {
        var config = TrainingConfig.small(epochs: 2, stepsPerEpoch: 5, ensemble: 2)
        if sleeves { config.sleeves = PolicySleeve.all }
        if budget {
            var design = BudgetDesign()
            design.window = 60
            design.band = 0.05
            design.tau = 1
            design.rebalance = 3
            config.budget = design
        }
        return try PolicyTrainer.train(market, config: config, name: "p").allocator
    }

    /// The daily job's request at `decision`, with the file it would have written the day
    /// before: the weights the backtest (whose first period is `firstPeriod`) held then.
    static func request(_ decision: Int, after result: BacktestResult, from firstPeriod: Int, market: Dataset, limits: RiskLimits)
        -> DailyInference.Request
    {
        let previousWeights = result.periods[decision - firstPeriod].weights
        var weights = Dictionary(uniqueKeysWithValues: zip(market.assets, previousWeights))
        weights[market.config.cash] = 1 - previousWeights.reduce(0, +)
        var request = DailyInference.Request(asOf: market.dates[decision])
        request.limits = limits
        request.previous = WeightsFile(
            asOf: market.dates[decision - 1].description, source: .init(kind: "model", name: result.strategy), weights: weights)
        return request
    }

    @Test(
        "the simulator's weights equal regimen-infer's on every checked date",
        arguments: [(false, false, false), (true, false, false), (false, true, false), (false, false, true)])
    func parity(regimeCap: Bool, sleeves: Bool, budget: Bool) throws {
        let (market, _) = try SignalMarket.make()
        let model = try Self.model(market, sleeves: sleeves, budget: budget)
        #expect((model.budget != nil) == budget)
        #expect(model.sleeves.count == (sleeves ? PolicySleeve.all.count : 0))
        var limits = RiskLimits()
        limits.maxWeight = 0.45
        limits.minCash = 0.05
        limits.targetVolatility = 0.3
        limits.maxExpectedShortfall = 0.03
        limits.maxTurnover = 0.4
        if regimeCap { limits.regimeMaxGross = [RegimeLabel(state: 0): 0.9, RegimeLabel(state: 1): 0.5] }
        var settings = BacktestSettings()
        settings.firstReturnRow = 301
        settings.lastReturnRow = 360
        settings.limits = limits
        settings.feeBasisPoints = 10
        let result = try Simulator.run(model, on: market, settings: settings)
        #expect((result.limitsBinding ?? [:]).values.reduce(0, +) > 0, "the limits must bind somewhere to test anything")
        for decision in [305, 320, 341, 358] {
            let request = Self.request(decision, after: result, from: 301, market: market, limits: limits)
            let outcome = try DailyInference.run(model: model, dataset: market, request: request)
            let simulated = result.periods[decision + 1 - 301].weights
            let written = market.assets.map { outcome.file.weights[$0]! }
            #expect(written == simulated, "row \(decision): the job wrote \(written), the backtest held \(simulated)")
        }
    }

    @Test("with dated futures and basis features, the daily job decides as the backtest and writes the contract it holds")
    func futuresParity() throws {
        let market = try Fixtures.load(SyntheticMarket(assets: 4, periods: 420, seed: 5, futures: 2))
        var config = TrainingConfig.small(epochs: 2, stepsPerEpoch: 5)
        config.features.basisTenors = [30, 90]
        let model = try PolicyTrainer.train(market, config: config, name: "f").allocator
        var limits = RiskLimits()
        limits.maxWeight = 0.4
        var settings = BacktestSettings()
        settings.firstReturnRow = 341
        settings.lastReturnRow = 400
        settings.limits = limits
        settings.feeBasisPoints = 10
        let result = try Simulator.run(model, on: market, settings: settings)
        let chain = try #require(market.futuresChain(of: "SYN4"))
        let rollRow = try #require((345...395).first { chain.rolls(atRow: $0) })
        for decision in [345, rollRow, 390] {
            let request = Self.request(decision, after: result, from: 341, market: market, limits: limits)
            let outcome = try DailyInference.run(model: model, dataset: market, request: request)
            #expect(market.assets.map { outcome.file.weights[$0]! } == result.periods[decision + 1 - 341].weights)
            let held = try #require(outcome.file.contracts?["SYN4"])
            #expect(held.contract == chain.heldContract(atRow: decision)?.name)
            #expect(held.rolls == (decision == rollRow))
            #expect(held.daysToExpiry > Double(chain.rollDays))
            #expect(outcome.file.contracts?["SYN1"] == nil, "a perp holds no contract")
        }
    }

    @Test("with an options overlay under a vega budget, the daily job holds, rolls and writes the options the backtest holds")
    func overlayParity() throws {
        let directory = try Fixtures.temporaryDirectory()
        var files = SyntheticMarket(assets: 4, periods: 420, seed: 5).files
        files.files["dataset.yaml"]! += "implied_vol:\n  SYN1: IV_INDEX\n"
        try files.write(to: directory)
        let market = try DatasetReader.load(directory: directory.path)
        var config = TrainingConfig.small(epochs: 2, stepsPerEpoch: 5)
        var spec = OverlaySpec(structure: .straddle, asset: "SYN1")
        spec.vegaTarget = 0.004
        config.overlay = spec
        let model = try PolicyTrainer.train(market, config: config, name: "o").allocator
        #expect(model.overlay == spec)
        var limits = RiskLimits()
        limits.vegaBudget = 0.002
        limits.maxWeight = 0.5
        var settings = BacktestSettings()
        settings.firstReturnRow = 341
        settings.lastReturnRow = 400
        settings.limits = limits
        settings.feeBasisPoints = 10
        let result = try Simulator.run(model, on: market, settings: settings)
        #expect(result.periods.allSatisfy { $0.optionsValue > 0 }, "a long straddle is held throughout")
        #expect((result.limitsBinding?[LimitBinding(.vegaBudget)] ?? 0) > 0)
        settings.withoutOverlay = true
        let plain = try Simulator.run(model, on: market, settings: settings)
        #expect(plain.periods.last!.wealth != result.periods.last!.wealth)
        #expect(plain.periods.allSatisfy { $0.optionsValue == 0 })
        // The daily job, fed the previous day's file as the backtest held it, decides the same.
        var request = DailyInference.Request(asOf: market.dates[371])
        request.limits = limits
        let day = try DailyInference.run(model: model, dataset: market, request: request)
        let greeks = try #require(day.file.greeks)
        #expect(Swift.abs(greeks.vega) <= 0.002 + 1e-12)
        // limits.measured carries what the overlay's limits were checked against.
        #expect(day.file.limits.measured?.vega == greeks.vega && day.file.limits.measured?.gamma == greeks.gamma)
        #expect((day.file.limits.measured?.premium ?? 0) > 0, "a straddle opened that day paid premium")
        let entries = try #require(day.file.overlay)
        #expect(entries.count == 2 && Set(entries.map(\.type)) == ["call", "put"])
        let total = day.file.weights.values.reduce(0, +) + greeks.value
        #expect(Swift.abs(total - 1) <= 1e-9, "weights, cash and the options' value sum to 1")
        // The next day, from that file: the straddle is kept (not re-bought), drifted with the NAV.
        var next = DailyInference.Request(asOf: market.dates[372])
        next.limits = limits
        next.previous = day.file
        let following = try DailyInference.run(model: model, dataset: market, request: next)
        let kept = try #require(following.file.overlay)
        #expect(kept.map(\.strike) == entries.map(\.strike) && kept.map(\.expiry) == entries.map(\.expiry))
        #expect(kept[0].quantity != entries[0].quantity, "quantities per unit of NAV drift with the NAV")
    }

    @Test("limits_binding counts each limit once per traded decision that it bound")
    func bindingCounts() throws {
        let (market, _) = try SignalMarket.make()
        let model = try Self.model(market)
        var settings = BacktestSettings()
        settings.firstReturnRow = 301
        settings.lastReturnRow = 330
        var limits = RiskLimits()
        limits.maxWeight = 0.01
        settings.limits = limits
        let result = try Simulator.run(model, on: market, settings: settings)
        // A 1% cap binds on every one of the 30 daily decisions (the model always invests).
        #expect(result.limitsBinding == [LimitBinding(.maxWeight): 30])
        #expect(result.periods.allSatisfy { $0.weights.allSatisfy { $0 <= 0.01 + 1e-12 } })
        // Negative control: without limits there is no count and the weights are the model's.
        settings.limits = nil
        let free = try Simulator.run(model, on: market, settings: settings)
        #expect(free.limitsBinding == nil)
        #expect(free.periods.contains { $0.weights.contains { $0 > 0.01 } })
    }
}
