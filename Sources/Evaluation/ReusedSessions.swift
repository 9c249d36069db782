import Foundation
import Market
import Options
import Portfolio

/// An allocator that makes its session once per decision range and hands out fresh copies.
///
/// An evaluation simulates every allocator 13 times over the same range (the run and the
/// fee x schedule sensitivity table); a policy's session precomputes its causal inputs over
/// the whole range, which is most of the cost. Sessions are value types whose state starts
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
        let session = try base.session(deciding: rows, through: view)
        cache.key = (rows, view.row)
        cache.session = session
        return session
    }
}
