import Backtest
import Foundation
import Market
import Portfolio
import TestSupport
import Testing

/// Section 7's futures accounting against an independent exact computation
/// (`Fixtures/futures-roll`, made by `scripts/fixtures/make_futures_fixtures.py`): a linear
/// future rolling on a traded and on an untraded day, an inverse future, a stale close and a
/// spot asset, for a constant target rebalanced every period and every third.
@Suite("Futures roll accounting")
struct FuturesRollTests {
    struct Expected: Decodable {
        struct Period: Decodable {
            let date: String
            let held: [String: String]
            let rolls: [String: Bool]
            let returns: [String: Double]
            let tau: Double
            let c: Double
            let W: Double
            let net_return: Double
        }
        struct Case: Decodable {
            let rebalance: String
            let periods: [Period]
            let final_wealth: Double
            let costs_paid: Double
            let turnover_annual: Double
        }
        let target: [String: Double]
        let cases: [Case]
    }

    static func close(_ a: Double, _ b: Double) -> Bool { Swift.abs(a - b) <= 1e-12 * Swift.max(1, Swift.abs(b)) }

    @Test("every period's held contract, roll, returns, turnover, fee and wealth")
    func pinned() throws {
        let expected = try JSONDecoder().decode(
            Expected.self, from: Data(contentsOf: Fixtures.url("futures-roll/roll-expected.json")))
        let market = try DatasetReader.load(directory: Fixtures.url("futures-roll").path)
        let assets = market.assets
        for c in expected.cases {
            var settings = BacktestSettings()
            settings.rebalance = try #require(RebalanceSchedule(parsing: c.rebalance))
            settings.feeBasisPoints = try #require(market.config.feeBasisPoints)
            let result = try Simulator.run(ConstantAllocator(targets: expected.target), on: market, settings: settings)
            #expect(result.periods.count == c.periods.count)
            for (t, (period, reference)) in zip(result.periods, c.periods).enumerated() {
                let label = "\(c.rebalance) \(reference.date)"
                let decision = t  // the decision at row t is held during period t + 1
                #expect(period.date.description == reference.date)
                for (asset, contract) in reference.held {
                    #expect(
                        market.futuresChain(of: asset)?.heldContract(atRow: decision)?.name == contract, "held \(asset) \(label)")
                }
                let rolls = market.rolls(atRow: decision)
                for (asset, rolled) in reference.rolls {
                    #expect(rolls[assets.firstIndex(of: asset)!] == rolled, "roll \(asset) \(label)")
                }
                for (asset, value) in reference.returns {
                    let found = try #require(market.simpleReturn(row: t + 1, asset: assets.firstIndex(of: asset)!))
                    #expect(Self.close(found, value), "return \(asset) \(label)")
                }
                #expect(Self.close(period.turnover, reference.tau), "tau \(label)")
                #expect(Self.close(period.cost, reference.c), "c \(label)")
                #expect(Self.close(period.wealth, reference.W), "W \(label)")
                #expect(Self.close(period.netReturn, reference.net_return), "return \(label)")
            }
            #expect(Self.close(result.costsPaid, c.costs_paid))
            #expect(Self.close(result.turnoverAnnual, c.turnover_annual))
            #expect(Self.close(result.periods.last!.wealth, c.final_wealth))
        }
    }

    @Test("min_days_to_expiry caps at 0 an asset whose held contract is too close to expiry, and only then")
    func minDaysToExpiry() throws {
        let market = try DatasetReader.load(directory: Fixtures.url("futures-roll").path)
        let targets = ["AAA": 0.4, "BBB": 0.3, "CCC": 0.2]
        for (minimum, expectCaps) in [(20.0, true), (1.0, false)] {
            var settings = BacktestSettings()
            settings.feeBasisPoints = 20
            var limits = RiskLimits()
            limits.minDaysToExpiry = minimum
            settings.limits = limits
            let result = try Simulator.run(ConstantAllocator(targets: targets), on: market, settings: settings)
            for (t, period) in result.periods.enumerated() {
                let days = market.daysToExpiry(atRow: t)
                for asset in 0..<2 {
                    let tooClose = days[asset].map { $0 < minimum } ?? false
                    #expect((period.weights[asset] == 0) == tooClose, "min \(minimum), row \(t), asset \(asset): \(days)")
                }
                #expect(period.weights[2] == 0.2, "a spot asset is never capped by it")
            }
            #expect((result.limitsBinding?[LimitBinding(.minDaysToExpiry, asset: "AAA")] != nil) == expectCaps)
            #expect((result.limitsBinding?[LimitBinding(.minDaysToExpiry, asset: "BBB")] != nil) == expectCaps)
        }
        #expect(throws: RiskLimits.Problem.self) { try RiskLimits(yaml: "min_days_to_expiry: -3\n", file: "limits.yaml") }
    }

    @Test("negative control: held as spot (no rolls, spot returns) the same target ends elsewhere")
    func spotDiffers() throws {
        let expected = try JSONDecoder().decode(
            Expected.self, from: Data(contentsOf: Fixtures.url("futures-roll/roll-expected.json")))
        let directory = try Fixtures.temporaryDirectory()
        for name in ["prices.csv", "futures.csv"] {
            try FileManager.default.copyItem(
                at: Fixtures.url("futures-roll/\(name)"), to: directory.appendingPathComponent(name))
        }
        try "fee_bps: 20\n".write(to: directory.appendingPathComponent("dataset.yaml"), atomically: true, encoding: .utf8)
        let market = try DatasetReader.load(directory: directory.path)
        var settings = BacktestSettings()
        settings.feeBasisPoints = 20
        let result = try Simulator.run(ConstantAllocator(targets: expected.target), on: market, settings: settings)
        #expect(!Self.close(result.periods.last!.wealth, expected.cases[0].final_wealth))
    }
}
