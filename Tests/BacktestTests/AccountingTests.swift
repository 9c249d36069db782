import Backtest
import Foundation
import Market
import Portfolio
import Risk
import TestSupport
import Testing

/// A fixed target allocation, for pinning the accounting.
struct ConstantAllocator: Allocator {
    let targets: [String: Double]
    var name: String { "constant" }
    func allocate(_ view: MarketView) throws -> Allocation {
        Allocation(weights: view.history.assets.map { targets[$0] ?? 0 })
    }
    func firstDecisionRow(in market: Dataset) -> Int { 0 }
}

/// The contract's accounting (Appendix A) against a hand-checkable case
/// (`Fixtures/accounting`, made by `scripts/fixtures/make_backtest_fixtures.py`).
@Suite("Backtest accounting")
struct AccountingTests {
    struct Expected: Decodable {
        struct Period: Decodable {
            let date: String
            let tau: Double
            let c: Double
            let F: Double
            let W: Double
            let net_return: Double
            let w_new: [String: Double]
        }
        struct Case: Decodable {
            let rebalance: String
            let final_wealth: Double
            let costs_paid: Double
            let funding_paid: Double
            let turnover_annual: Double
            let periods: [Period]
        }
        let cases: [Case]
    }

    static func close(_ a: Double, _ b: Double) -> Bool { Swift.abs(a - b) <= 1e-12 * Swift.max(1, Swift.abs(b)) }

    @Test("every period's turnover, fee, funding and wealth, for every:1 and every:2")
    func pinned() throws {
        let expected = try JSONDecoder().decode(
            Expected.self, from: Data(contentsOf: Fixtures.url("accounting/accounting-expected.json")))
        let market = try DatasetReader.load(directory: Fixtures.url("accounting").path)
        for c in expected.cases {
            var settings = BacktestSettings()
            settings.rebalance = try #require(RebalanceSchedule(parsing: c.rebalance))
            settings.feeBasisPoints = try #require(market.config.feeBasisPoints)
            let result = try Simulator.run(ConstantAllocator(targets: ["AAA": 0.6, "BBB": 0.3]), on: market, settings: settings)
            #expect(result.periods.count == c.periods.count)
            for (period, reference) in zip(result.periods, c.periods) {
                let label = "\(c.rebalance) \(reference.date)"
                #expect(period.date.description == reference.date)
                #expect(Self.close(period.turnover, reference.tau), "tau \(label)")
                #expect(Self.close(period.cost, reference.c), "c \(label)")
                #expect(Self.close(period.funding, reference.F), "F \(label)")
                #expect(Self.close(period.wealth, reference.W), "W \(label)")
                #expect(Self.close(period.netReturn, reference.net_return), "return \(label)")
                #expect(
                    Self.close(period.weights[0], reference.w_new["AAA"]!)
                        && Self.close(period.weights[1], reference.w_new["BBB"]!), "w_new \(label)")
            }
            #expect(Self.close(result.costsPaid, c.costs_paid))
            #expect(Self.close(result.fundingPaid, c.funding_paid))
            #expect(Self.close(result.turnoverAnnual, c.turnover_annual))
            #expect(Self.close(result.periods.last!.wealth, c.final_wealth))
        }
    }

    @Test("fees reduce wealth by exactly the charged amount; without fees and funding, wealth is prod(1 + w.r)")
    func identities() throws {
        let market = try Fixtures.load(SyntheticMarket(assets: 4, periods: 200, seed: 21))
        let allocator = ConstantAllocator(targets: ["SYN1": 0.5, "SYN2": 0.3])
        var settings = BacktestSettings()
        settings.firstReturnRow = 1
        let free = try Simulator.run(allocator, on: market, settings: settings)
        settings.feeBasisPoints = 30
        let charged = try Simulator.run(allocator, on: market, settings: settings)
        let kept = charged.periods.reduce(1.0) { $0 * (1 - $1.cost) }
        #expect(Swift.abs(charged.periods.last!.wealth - free.periods.last!.wealth * kept) < 1e-12)
        // SYN1 and SYN2 are perps: remove funding by comparing with the gross product.
        var product = 1.0
        for (t, period) in free.periods.enumerated() {
            let row = t + 1
            let gross = (0..<2).reduce(0.0) { total, asset in
                total + period.weights[asset]
                    * (market.price(row: row, asset: asset)! / market.price(row: row - 1, asset: asset)! - 1)
            }
            product *= 1 + gross - period.funding
        }
        #expect(Swift.abs(product - free.periods.last!.wealth) < 1e-12)
        // Long perps pay positive funding (F = sum w_i f_i, charged as a loss).
        for (t, period) in free.periods.enumerated() {
            let rates = (0..<2).map { market.funding[$0].rates[t + 1] }
            #expect(Swift.abs(period.funding - (period.weights[0] * rates[0] + period.weights[1] * rates[1])) < 1e-15)
        }
    }
}
