import Backtest
import Foundation
import Market
import Portfolio
import TestSupport
import Testing

/// Target weights fixed per decision date, for pinning costs that depend on each trade.
struct ScheduledAllocator: Allocator {
    /// Per decision date (`YYYY-MM-DD`), the weight of each asset named (others 0).
    let targets: [String: [String: Double]]
    var name: String { "scheduled" }
    func allocate(_ view: MarketView) throws -> Allocation {
        let target = targets[view.date.description] ?? [:]
        return Allocation(weights: view.history.assets.map { target[$0] ?? 0 })
    }
    func firstDecisionRow(in market: Dataset) -> Int {
        market.dates.firstIndex { targets[$0.description] != nil } ?? market.rowCount
    }
}

/// Section 11's square-root market impact against an independent computation from the
/// contract text (`Fixtures/impact`, made by `scripts/fixtures/make_impact_fixture.py`): a
/// future rolling inside the backtest (both legs pay) and an asset listed inside the 20-row
/// window, for weights that change every decision, rebalanced every period and every third.
@Suite("Market impact")
struct MarketImpactTests {
    struct Expected: Decodable {
        struct Period: Decodable {
            let date: String
            let decision_row: Int
            let traded: Bool
            let rolls: Bool
            let legs: [String: [Double]]
            let impact: [String: Double]
            let tau: Double
            let c: Double
            let W: Double
        }
        struct Case: Decodable {
            let rebalance: String
            let periods: [Period]
        }
        struct Scale: Decodable {
            let row: Int
            let scale: [String: Double]
        }
        let aum: Double
        let first_decision_row: Int
        let roll_row: Int
        let listing_row: [String: Int]
        let targets: [String: [String: Double]]
        let scales: [Scale]
        let cases: [Case]
    }

    static func expected() throws -> Expected {
        try JSONDecoder().decode(Expected.self, from: Data(contentsOf: Fixtures.url("impact/impact-expected.json")))
    }

    static func close(_ a: Double, _ b: Double) -> Bool { Swift.abs(a - b) <= 1e-12 * Swift.abs(b) }

    /// The fixture's backtest with `rebalance` at `aum` (nil: no impact).
    static func run(_ market: Dataset, _ expected: Expected, rebalance: String, aum: Double?) throws -> BacktestResult {
        var settings = BacktestSettings()
        settings.rebalance = try #require(RebalanceSchedule(parsing: rebalance))
        settings.feeBasisPoints = try #require(market.config.feeBasisPoints)
        settings.assetsUnderManagement = aum
        return try Simulator.run(ScheduledAllocator(targets: expected.targets), on: market, settings: settings)
    }

    @Test("every period's cost and wealth at AUM 1e7, through a roll and a listing inside the window")
    func pinned() throws {
        let expected = try Self.expected()
        let market = try DatasetReader.load(directory: Fixtures.url("impact").path)
        let (bbb, ccc) = (try #require(market.assets.firstIndex(of: "BBB")), try #require(market.assets.firstIndex(of: "CCC")))
        let decisions = expected.first_decision_row...(market.rowCount - 2)
        // What the fixture must exercise: the roll and the listing are inside the checked range.
        #expect(decisions.contains(expected.roll_row) && market.rolls(atRow: expected.roll_row)[bbb])
        let listing = try #require(expected.listing_row["CCC"])
        #expect(market.firstRows[ccc] == listing && decisions.contains(listing))
        #expect(listing > expected.first_decision_row - MarketImpact.window + 1)
        let impact = MarketImpact(market, assetsUnderManagement: expected.aum)
        for reference in expected.scales {
            for (asset, name) in market.assets.enumerated() {
                let found = impact.scale(row: reference.row, asset: asset)
                #expect(found.map { Self.close($0, reference.scale[name] ?? .nan) } ?? (reference.scale[name] == nil))
            }
        }
        for c in expected.cases {
            let result = try Self.run(market, expected, rebalance: c.rebalance, aum: expected.aum)
            #expect(result.periods.count == c.periods.count)
            for (period, reference) in zip(result.periods, c.periods) {
                let label = "\(c.rebalance) \(reference.date)"
                #expect(period.date.description == reference.date)
                #expect(Self.close(period.turnover, reference.tau), "tau \(label)")
                #expect(Self.close(period.cost, reference.c), "c \(label): \(period.cost) vs \(reference.c)")
                #expect(Self.close(period.wealth, reference.W), "W \(label): \(period.wealth) vs \(reference.W)")
            }
            let rolled = try #require(c.periods.first { $0.decision_row == expected.roll_row })
            #expect(rolled.rolls && rolled.legs["BBB"]?.count == 2 && rolled.legs["BBB"]!.allSatisfy { $0 > 0 })
            #expect(rolled.impact["BBB"]! > 0)
            let listed = try #require(c.periods.first { $0.decision_row == listing })
            #expect(listed.traded && listed.impact["CCC"]! > 0)
        }
    }

    @Test("negative control: AUM 0 charges exactly the fees of the run without impact, and AUM 1e7 more on every trade")
    func zeroAssets() throws {
        let expected = try Self.expected()
        let market = try DatasetReader.load(directory: Fixtures.url("impact").path)
        for c in expected.cases {
            let plain = try Self.run(market, expected, rebalance: c.rebalance, aum: nil)
            let zero = try Self.run(market, expected, rebalance: c.rebalance, aum: 0)
            let charged = try Self.run(market, expected, rebalance: c.rebalance, aum: expected.aum)
            #expect(zero.periods.map(\.cost) == plain.periods.map(\.cost))
            #expect(zero.periods.map(\.wealth) == plain.periods.map(\.wealth))
            for (period, without) in zip(charged.periods, plain.periods) {
                #expect(period.turnover > 0 ? period.cost > without.cost : period.cost == without.cost, "\(period.date)")
            }
            #expect(charged.periods.last!.wealth < plain.periods.last!.wealth)
        }
    }

    @Test("trading an asset without volume on a row of its window is refused (65) naming the asset and the date")
    func missingVolume() throws {
        let expected = try Self.expected()
        let fixture = try DatasetReader.load(directory: Fixtures.url("impact").path)
        // The fixture's own empty volume (AAA, row 1) lies outside every window: it runs.
        #expect(fixture.dollarVolume(row: 1, asset: 0) == nil)
        let directory = try Fixtures.temporaryDirectory()
        for name in ["prices.csv", "futures.csv", "dataset.yaml", "ohlcv.csv"] {
            try FileManager.default.copyItem(at: Fixtures.url("impact/\(name)"), to: directory.appendingPathComponent(name))
        }
        let file = directory.appendingPathComponent("ohlcv.csv")
        let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let blanked = lines.map { line in
            line.hasPrefix("2024-03-16,AAA,") ? line.split(separator: ",").dropLast().joined(separator: ",") + "," : String(line)
        }
        #expect(blanked != lines.map(String.init))
        try blanked.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        let market = try DatasetReader.load(directory: directory.path)
        #expect(market.dollarVolume(row: 15, asset: 0) == nil)
        let error = #expect(throws: Simulator.Failure.self) {
            try Self.run(market, expected, rebalance: "every:1", aum: expected.aum)
        }
        #expect(error?.exitStatus == 65)
        #expect(error?.description.contains("no volume for AAA on 2024-03-16") == true, "\(String(describing: error))")
        // Without --aum the volume is not needed.
        _ = try Self.run(market, expected, rebalance: "every:1", aum: nil)
        // A volume of 0 on every row of the window is no market either.
        let zeroed = blanked.map { line in
            guard line.contains(",AAA,") else { return line }
            return line.split(separator: ",", omittingEmptySubsequences: false).dropLast().joined(separator: ",") + ",0"
        }
        try zeroed.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        let idle = try DatasetReader.load(directory: directory.path)
        let zero = #expect(throws: Simulator.Failure.self) {
            try Self.run(idle, expected, rebalance: "every:1", aum: expected.aum)
        }
        #expect(zero?.description.contains("volume of AAA is 0 on every row of the 20 ending 2024-03-23") == true)
    }

    @Test("the market held at spot keeps the volumes")
    func spotReference() throws {
        let market = try DatasetReader.load(directory: Fixtures.url("impact").path)
        #expect(market.holdsDerivatives)
        let spot = market.heldAtSpot()
        #expect(spot.dollarVolumes != nil)
        #expect(spot.dollarVolumes?.map(\.bitPattern) == market.dollarVolumes?.map(\.bitPattern))
    }
}
