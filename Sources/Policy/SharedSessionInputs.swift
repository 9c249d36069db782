import Foundation
import Market
import Portfolio

/// Session inputs computed once and handed to every policy that backtests the same range.
///
/// Training scores every epoch of every ensemble member on the same validation range; the
/// policies differ only in their networks' parameters, and a session's inputs (features,
/// regime probabilities and labels, sleeve portfolios, risk-budget cores) do not depend on
/// them. The first session computes them as `PolicyAllocator.session` always does; later
/// sessions over the same rows of the same market reuse them, so the results are the same
/// bytes. Thread-safe: members training in parallel share one.
///
/// Every policy given to one instance must have the same normalisation, regime model,
/// feature spec, sleeves and risk-budget design, and every market the same data up to the
/// decision rows (the caller's promise; the rows are checked).
package final class SharedSessionInputs: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: (rows: ClosedRange<Int>, through: Int, session: PolicySession)?

    package init() {}

    /// A session of `allocator` deciding `rows` through `view`, on the inputs computed for
    /// the same rows and view before, or on new ones (kept when none are stored).
    func session(_ allocator: PolicyAllocator, deciding rows: ClosedRange<Int>, through view: MarketView) throws
        -> PolicySession
    {
        lock.lock()
        defer { lock.unlock() }
        if let stored, stored.rows == rows, stored.through == view.row {
            return PolicySession(allocator: allocator, inputs: stored.session.inputs, regimes: stored.session.regimes)
        }
        let session = try PolicySession(allocator: allocator, market: view.history, rows: rows)
        if stored == nil { stored = (rows, view.row, session) }
        return session
    }
}
