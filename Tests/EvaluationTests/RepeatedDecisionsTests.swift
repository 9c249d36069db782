import Foundation
import Market
import Portfolio
import Support
import TestSupport
import Testing

@testable import Evaluation

/// Replayed decisions across the copies of one session: the later copies get the first
/// copy's decisions, and an online copy that would have to decide after replaying fails with
/// an internal error instead of deciding from a state that never saw the replayed rows.
@Suite("repeated decisions")
struct RepeatedDecisionsTests {
    /// An online rule in miniature: its decision is the number of rows it has seen itself.
    struct CountingSession: AllocationSession {
        var seen = 0
        var decidesEveryPeriod: Bool { true }
        var decisionsRepeat: Bool { true }
        mutating func decide(_ view: MarketView, holding: [Double]) throws -> Allocation {
            seen += 1
            return Allocation(weights: [Double(seen) / 100] + Array(repeating: 0, count: holding.count - 1))
        }
    }

    static func market() throws -> Dataset {
        return try Fixtures.load(SyntheticMarket(assets: 3, periods: 40, seed: 5))
    }

    @Test("a later copy replays the first copy's decisions, in step")
    func replaysInStep() throws {
        let market = try Self.market()
        let shared = RepeatedDecisions(CountingSession())
        var (first, second) = (shared, shared)
        let holding = [0.0, 0.0, 0.0]
        let made = try (10..<20).map { try first.decide(market.view(throughRow: $0), holding: holding).weights[0] }
        let replayed = try (10..<20).map { try second.decide(market.view(throughRow: $0), holding: holding).weights[0] }
        #expect(made == (1...10).map { Double($0) / 100 })
        #expect(replayed == made)
    }

    @Test("an online copy asked a row after replaying, which no copy decided, fails with 70")
    func outOfStep() throws {
        let market = try Self.market()
        let shared = RepeatedDecisions(CountingSession())
        var (first, second) = (shared, shared)
        let holding = [0.0, 0.0, 0.0]
        for row in 10..<15 { _ = try first.decide(market.view(throughRow: row), holding: holding) }
        for row in 10..<15 { _ = try second.decide(market.view(throughRow: row), holding: holding) }
        #expect {
            _ = try second.decide(market.view(throughRow: 15), holding: holding)
        } throws: { error in
            (error as? ReplayOutOfStep)?.row == 15 && (error as? ReportableError)?.exitStatus == 70
        }
        // Negative control: a copy that never replayed decides that row itself (its first).
        var third = shared
        #expect(try third.decide(market.view(throughRow: 15), holding: holding).weights[0] == 0.01)
    }
}
