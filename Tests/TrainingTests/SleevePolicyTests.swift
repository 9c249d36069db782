import Backtest
import Baselines
import Features
import Foundation
import Market
import Policy
import Portfolio
import Risk
import Support
import TensorModule
import TestSupport
import Testing
import Training
import WindowRules

/// The sleeve-mixture policy (issue 14): its sleeves are the baselines' own portfolios,
/// seen causally; untrained it is its starting mixture; its tilt is bounded (its gradient
/// check is `PolicyTests.gradientCheck`); training starts on the sleeve that did best on the training rows.
@Suite("Sleeve-mixture policy")
struct SleevePolicyTests {
    /// The synthetic market of the policy tests, long enough for the sleeves' windows.
    static func market(seed: UInt64 = 3, periods: Int = 220) throws -> Dataset {
        try PolicyTests.market(seed: seed, periods: periods)
    }

    static func inputs(_ market: Dataset, sleeves: [PolicySleeve] = PolicySleeve.all) -> PolicyInputs {
        PolicyInputs(
            market, normalisation: FeatureNormalisation(fitting: FeatureBuilder.compute(market), rows: 0..<100, clip: 5),
            regimeModel: nil, sleeves: sleeves)
    }

    /// The policy's weights `[N + 1]` at `row`, holding nothing.
    static func weights(_ network: PolicyNetwork<Double>, _ inputs: PolicyInputs, row: Int) -> [Double] {
        network.decide(inputs, rows: [row], held: Tensor.zeros([1, inputs.assets])).scalars
    }

    @Test("each sleeve's weights at a row are its baseline's decision from the market through that row")
    func sleevesAreBaselines() throws {
        let market = try Self.market()
        let inputs = Self.inputs(market)
        let n = market.assets.count
        for row in [120, 180, 219] {
            let view = market.view(throughRow: row)
            for (k, sleeve) in PolicySleeve.all.enumerated() {
                let stored = inputs.sleeveWeights[row][(k * (n + 1))..<((k + 1) * (n + 1))].map(Double.init)
                let expected: [Double]
                if case .baseline(let rule) = sleeve {
                    let risky = try Baseline(rule, window: PolicySleeve.window).allocate(view).weights
                    expected = risky + [1 - risky.reduce(0, +)]
                } else {
                    expected = Array(repeating: 0, count: n) + [1]
                }
                for (a, b) in zip(stored, expected) { #expect(Swift.abs(a - b) < 1e-6, "\(sleeve) at row \(row)") }
            }
        }
        // Before a window fits, a baseline sleeve is equal weight over the listed assets.
        let early = inputs.sleeveWeights[10][0..<(n + 1)].map(Double.init)
        let listed = (0..<n).filter { market.price(row: 10, asset: $0) != nil }.count
        #expect(early == (0..<n).map { market.price(row: 10, asset: $0) == nil ? 0 : 1 / Double(listed) } + [0])
    }

    @Test("poisoning every price after t leaves every sleeve's weights up to t unchanged")
    func noLookAhead() throws {
        let market = try Self.market()
        let cut = 170
        let future = market.poisoned(afterRow: cut)
        let clean = Self.inputs(market)
        let dirty = Self.inputs(future)
        #expect(Array(clean.sleeveWeights[...cut]) == Array(dirty.sleeveWeights[...cut]))
        // Negative control: the poisoned future does move the later sleeves.
        #expect(Array(clean.sleeveWeights[(cut + 30)...]) != Array(dirty.sleeveWeights[(cut + 30)...]))
    }

    @Test("untrained, the policy is exactly its starting mixture: share s on one sleeve, the rest spread evenly")
    func startsOnItsMixture() throws {
        let market = try Self.market()
        let inputs = Self.inputs(market)
        let n = market.assets.count
        let count = PolicySleeve.all.count
        let network = PolicyNetwork<Double>(
            scorerInputs: inputs.scorerInputs, cashInputs: inputs.cashInputs, hidden: [6], seed: 4, sleeves: count, tilt: 0.5)
        network.startOnSleeve(2, share: 0.9)
        for row in [120, 200] {
            let sleeve = { (k: Int) in inputs.sleeveWeights[row][(k * (n + 1))..<((k + 1) * (n + 1))].map(Double.init) }
            let mixture = (0...n).map { i in
                (0..<count).reduce(0.0) { $0 + ($1 == 2 ? 0.9 : 0.1 / Double(count - 1)) * sleeve($1)[i] }
            }
            // Sleeves are stored in Float, whose rounding the policy's renormalisation removes.
            let expected = mixture.map { $0 / mixture.reduce(0, +) }
            let got = Self.weights(network, inputs, row: row)
            for (a, b) in zip(got, expected) { #expect(Swift.abs(a - b) < 1e-12, "row \(row)") }
        }
        // Negative control: a tilt (here the cash layer's bias, the last output parameter) moves it.
        network.outputParameters.last!.assign(Tensor(shape: [1], scalars: [2]))
        let tilted = Self.weights(network, inputs, row: 120)
        let last = tilted[n]
        network.startAtEqualWeight()
        #expect(Swift.abs(Self.weights(network, inputs, row: 120)[n] - last) > 1e-3)
    }

    @Test("the tilt moves a weight by at most exp(2 tilt) against its mixture and never onto an asset no sleeve holds")
    func tiltIsBounded() throws {
        let market = try Self.market()
        let inputs = Self.inputs(market, sleeves: [.baseline(.minimumVariance)])
        let n = market.assets.count
        var g = SeededGenerator(seed: 9)
        for tilt in [0.25, 1.0, 3.0] {
            let network = PolicyNetwork<Double>(
                scorerInputs: inputs.scorerInputs, cashInputs: inputs.cashInputs, hidden: [6], seed: 4, sleeves: 1, tilt: tilt)
            for parameter in network.parameters { parameter.assign(g.normalTensor(parameter.shape) * 10) }
            var moved = 0.0
            for row in stride(from: 95, through: 219, by: 7) {
                let mixture = inputs.sleeveWeights[row].map(Double.init)
                let weights = Self.weights(network, inputs, row: row)
                #expect(Swift.abs(weights.reduce(0, +) - 1) < 1e-12)
                for i in 0...n {
                    if mixture[i] == 0 {
                        #expect(weights[i] == 0, "row \(row) weight \(i) is held by no sleeve")
                    } else {
                        let ratio = weights[i] / mixture[i]
                        #expect(ratio <= Foundation.exp(2 * tilt) * (1 + 1e-9) && ratio >= Foundation.exp(-2 * tilt) * (1 - 1e-9))
                        moved = max(moved, Swift.abs(Foundation.log(ratio)))
                    }
                }
            }
            // Negative control: the bound is approached, not trivially met.
            #expect(moved > 0.5 * tilt, "tilt \(tilt): the largest log move was \(moved)")
        }
    }

    @Test("training starts on the sleeve with the best Sharpe over the training rows, never on cash")
    func startingSleeve() throws {
        let market = try Self.market(seed: 12, periods: 400)
        var config = TrainingConfig()
        config.feeBps = 10
        config.sleeves = [.cash] + PolicySleeve.rules.map { .baseline($0) }
        let rows = 0...299
        let chosen = try #require(try PolicyTrainer.startingSleeve(market, config, trainRows: rows))
        var settings = BacktestSettings()
        settings.firstReturnRow = PolicySleeve.window + 1
        settings.lastReturnRow = rows.upperBound
        settings.feeBasisPoints = 10
        let sharpes = try PolicySleeve.rules.map {
            try Simulator.run(Baseline($0), on: market, settings: settings).metrics.sharpe ?? -.infinity
        }
        #expect(config.sleeves[chosen] == .baseline(PolicySleeve.rules[sharpes.indices.max { sharpes[$0] < sharpes[$1] }!]))
        #expect(Set(sharpes).count == sharpes.count, "the sleeves' Sharpes must differ to test a choice")
        config.sleeves = []
        #expect(try PolicyTrainer.startingSleeve(market, config, trainRows: rows) == nil)
    }
}
