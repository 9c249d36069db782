import Features
import Foundation
import Market
import Policy
import Portfolio
import TensorModule
import TestSupport
import Testing

/// The policy as the daily job runs it: valid weights from any inputs.
@Suite("Policy network")
struct PolicyNetworkTests {
    static func market(seed: UInt64 = 3, assets: Int, periods: Int) throws -> Dataset {
        return try Fixtures.load(SyntheticMarket(assets: assets, periods: periods, seed: seed))
    }

    @Test("weights are long-only, sum to one with cash, and give unlisted assets nothing")
    func weightsAreValid() throws {
        let market = try Self.market(assets: 6, periods: 400)
        let inputs = PolicyInputs(
            market, normalisation: FeatureNormalisation(fitting: FeatureBuilder.compute(market), rows: 0..<300, clip: 5),
            regimeModel: nil)
        let network = PolicyNetwork<Float>(scorerInputs: inputs.scorerInputs, cashInputs: inputs.cashInputs, hidden: [8], seed: 1)
        let rows = [5, 50, 200, 399]
        let w = network.decide(inputs, rows: rows, held: Tensor.zeros([4, 6]))
        for (i, row) in rows.enumerated() {
            let values = Array(w.scalars[(i * 7)..<((i + 1) * 7)])
            #expect(Swift.abs(values.reduce(0, +) - 1) < 1e-5)
            #expect(values.allSatisfy { $0 >= 0 })
            for asset in 0..<6 where inputs.listed[row][asset] == 0 { #expect(values[asset] == 0) }
        }
    }

    @Test("started at equal weight, the untrained policy holds every listed asset and cash equally")
    func equalWeightStart() throws {
        let market = try Self.market(assets: 6, periods: 400)
        let inputs = PolicyInputs(
            market, normalisation: FeatureNormalisation(fitting: FeatureBuilder.compute(market), rows: 0..<300, clip: 5),
            regimeModel: nil)
        let network = PolicyNetwork<Float>(scorerInputs: inputs.scorerInputs, cashInputs: inputs.cashInputs, hidden: [8], seed: 1)
        let rows = [5, 200, 399]
        let random = network.decide(inputs, rows: rows, held: Tensor.zeros([3, 6]))
        network.startAtEqualWeight()
        let w = network.decide(inputs, rows: rows, held: Tensor.zeros([3, 6]))
        for (i, row) in rows.enumerated() {
            let values = Array(w.scalars[(i * 7)..<((i + 1) * 7)])
            let listed = inputs.listed[row].reduce(0, +)
            for asset in 0..<6 {
                #expect(Swift.abs(values[asset] - (inputs.listed[row][asset] == 1 ? 1 / (listed + 1) : 0)) < 1e-6)
            }
            #expect(Swift.abs(values[6] - 1 / (listed + 1)) < 1e-6)
        }
        // Negative control: the random start is not equal weight.
        #expect(zip(random.scalars, w.scalars).contains { Swift.abs($0 - $1) > 1e-3 })
    }

    @Test("a decision reads only its own row: inputs computed on a longer history give the same weights")
    func decisionIsCausal() throws {
        let market = try Self.market(assets: 4, periods: 300)
        let normalisation = FeatureNormalisation(fitting: FeatureBuilder.compute(market), rows: 0..<200, clip: 5)
        let network = PolicyNetwork<Float>(
            scorerInputs: PolicyInputs(market, normalisation: normalisation, regimeModel: nil).scorerInputs,
            cashInputs: PolicyInputs(market, normalisation: normalisation, regimeModel: nil).cashInputs, hidden: [8], seed: 2)
        let allocator = PolicyAllocator(name: "p", members: [network], normalisation: normalisation, regimeModel: nil)
        let early = try allocator.allocate(market.view(throughRow: 250))
        let late = PolicyInputs(market, normalisation: normalisation, regimeModel: nil)
        #expect(allocator.decide(late, row: 250, holding: [0, 0, 0, 0]).weights == early.weights)
    }
}
