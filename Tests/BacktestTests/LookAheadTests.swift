import Backtest
import Baselines
import Foundation
import Portfolio
import TestSupport
import Testing

@testable import Market

/// An allocator that records the last row it was shown and trips if it can see past its
/// decision row.
final class SpyAllocator: Allocator, @unchecked Sendable {
    var violations = 0
    var name: String { "spy" }
    func allocate(_ view: MarketView) throws -> Allocation {
        let market = view.history
        let row = view.row
        if market.rowCount - 1 != row { violations += 1 }
        return Allocation(
            weights: market.assets.indices.map { market.price(row: row, asset: $0) == nil ? 0 : 1 / Double(market.assets.count) })
    }
    func firstDecisionRow(in market: Dataset) -> Int { 0 }
}

@Suite("No look-ahead in the simulator")
struct SimulatorLookAheadTests {
    static func market() throws -> Dataset {
        return try Fixtures.load(SyntheticMarket(assets: 5, periods: 300, seed: 8))
    }

    @Test("every decision is handed a market that ends at its row")
    func spy() throws {
        let spy = SpyAllocator()
        _ = try Simulator.run(spy, on: try Self.market(), settings: BacktestSettings())
        #expect(spy.violations == 0)
    }

    @Test(
        "poisoning every price after t changes nothing up to t",
        arguments: [BaselineName.minimumVariance, .anticor, .olmar, .hierarchicalRiskParity])
    func poisonedFuture(_ rule: BaselineName) throws {
        let market = try Self.market()
        let cut = 250
        let future = market.poisoned(afterRow: cut)
        var settings = BacktestSettings()
        settings.lastReturnRow = cut
        let clean = try Simulator.run(Baseline(rule), on: market, settings: settings)
        let dirty = try Simulator.run(Baseline(rule), on: future, settings: settings)
        #expect(clean.periods == dirty.periods)
        settings.lastReturnRow = nil
        let after = try Simulator.run(Baseline(rule), on: future, settings: settings)
        #expect(after.periods.last!.wealth != clean.periods.last!.wealth)
    }
}
