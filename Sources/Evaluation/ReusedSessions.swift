import Foundation
import Market
import Options
import Portfolio
import Support

/// An allocator that makes its session once per decision range and hands out fresh copies;
/// when the session's decisions repeat (`AllocationSession.decisionsRepeat`: the baselines),
/// each row is decided once and the later backtests replay that decision.
///
/// An evaluation simulates every allocator 13 times over the same range (the run and the
/// fee x schedule sensitivity table), and again for the verdict and the capacity table; a
/// policy's session precomputes its causal inputs over the whole range, which is most of the
/// cost, and a baseline's decisions (a covariance and an optimisation per row, or an online
/// rule's update) are the same in every backtest. Sessions are value types whose state starts
/// at their creation, so a copy of the first one is exactly a new one.
struct ReusedSessions: Allocator, @unchecked Sendable {
    let base: any Allocator
    private let cache = Cache()

    /// The session made for one decision range and view.
    private final class Cache: @unchecked Sendable {
        let lock = NSLock()
        var key: (rows: ClosedRange<Int>, through: Int)?
        var session: (any AllocationSession)?
    }

    init(_ base: any Allocator) { self.base = base }

    var name: String { base.name }
    var identity: AllocatorIdentity { base.identity }
    var tradesOnlyFirstAllocation: Bool { base.tradesOnlyFirstAllocation }
    var usesHindsight: Bool { base.usesHindsight }
    var overlay: OverlaySpec? { base.overlay }
    func allocate(_ view: MarketView) throws -> Allocation { try base.allocate(view) }
    func firstDecisionRow(in market: Dataset) -> Int { base.firstDecisionRow(in: market) }

    func session(deciding rows: ClosedRange<Int>, through view: MarketView) throws -> any AllocationSession {
        cache.lock.lock()
        defer { cache.lock.unlock() }
        if let key = cache.key, key.rows == rows, key.through == view.row, let session = cache.session { return session }
        let made = try base.session(deciding: rows, through: view)
        let session = made.decisionsRepeat ? RepeatedDecisions(made) : made
        cache.key = (rows, view.row)
        cache.session = session
        return session
    }
}

/// A session whose decisions repeat, deciding each row once for every copy of it: a copy
/// replays the decision another copy made at the row, else decides and keeps it.
///
/// A copy that decides every period (an online rule) learns only from the rows it decides
/// itself, so it must never decide after replaying: every backtest of the range asks it
/// every row in order, so the first one leaves a decision for every row the later ones ask.
/// Were two backtests of one allocator ever run side by side, a later one could outrun the
/// first: it then fails with `ReplayOutOfStep` (an internal error, 70) rather than decide
/// from a state that missed the rows it replayed.
struct RepeatedDecisions: AllocationSession {
    private var base: any AllocationSession
    private let decisions = Decisions()
    /// Whether this copy replayed a decision (then it must not decide itself).
    private var replayed = false

    /// The decisions made so far, by row.
    private final class Decisions: @unchecked Sendable {
        let lock = NSLock()
        var byRow: [Int: Allocation] = [:]
    }

    init(_ base: any AllocationSession) { self.base = base }

    var decidesEveryPeriod: Bool { base.decidesEveryPeriod }
    var decisionsRepeat: Bool { true }

    mutating func decide(_ view: MarketView, holding: [Double]) throws -> Allocation {
        decisions.lock.lock()
        let stored = decisions.byRow[view.row]
        decisions.lock.unlock()
        if let stored {
            replayed = true
            return stored
        }
        if replayed && base.decidesEveryPeriod { throw ReplayOutOfStep(row: view.row) }
        let decision = try base.decide(view, holding: holding)
        decisions.lock.lock()
        decisions.byRow[view.row] = decision
        decisions.lock.unlock()
        return decision
    }

    func regime(atRow row: Int) -> RegimeLabel? { base.regime(atRow: row) }
}

/// An online session replayed earlier rows and was then asked one no backtest had decided: its
/// own state has not learnt from the replayed rows, so it cannot decide (a defect of the
/// caller's order, never of the input).
struct ReplayOutOfStep: ReportableError {
    let row: Int
    var exitStatus: Int32 { ExitStatus.internalFailure }
    var description: String {
        "internal error: an online rule replayed earlier decisions and was then asked row \(row), "
            + "which no earlier backtest decided; its backtests must run one after another"
    }
}
