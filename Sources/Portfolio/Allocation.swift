import Options
import Market

/// Target weights for one decision, over the dataset's assets (cash is the remainder).
package struct Allocation: Sendable, Equatable {
    /// One weight per dataset asset (0 for assets that take no part).
    package var weights: [Double]
    /// Warnings for a person (a near-singular covariance, a fallback taken).
    package var warnings: [String] = []

    package init(weights: [Double], warnings: [String] = []) {
        self.weights = weights
        self.warnings = warnings
    }

    /// The cash weight: `1 - sum(weights)`.
    package var cash: Double { 1 - weights.reduce(0, +) }
}

/// Anything that chooses weights at a date from the market as known then (a `MarketView`):
/// baselines and trained policies. Evaluation treats every allocator alike.
package protocol Allocator: Sendable {
    /// The CLI name (`equal-weight`, `NAME:VERSION`).
    var name: String { get }
    /// The options overlay it holds on top of its weights (contract section 7); nil for none.
    var overlay: OverlaySpec? { get }
    /// Who it is, for reports and weights files (default: a baseline named `name`).
    var identity: AllocatorIdentity { get }
    /// The weights to hold after the close of the view's row.
    func allocate(_ view: MarketView) throws -> Allocation
    /// The first row at which it can decide (its estimation window must fit).
    func firstDecisionRow(in market: Dataset) -> Int
    /// Whether a backtest trades only its first allocation (buy and hold).
    var tradesOnlyFirstAllocation: Bool { get }
    /// Whether it reads the periods it is evaluated on (`bcrp`, evaluation only).
    var usesHindsight: Bool { get }
    /// A session for one backtest over decision rows `rows`: stateful allocators (online
    /// rules) keep their state in it, policies precompute their causal inputs. `view` ends
    /// at the last decision row, or, for an allocator that `usesHindsight`, at the last
    /// period the backtest earns.
    /// - Throws: when the allocator cannot decide on this market at all (a model whose
    ///   features the data do not give).
    func session(deciding rows: ClosedRange<Int>, through view: MarketView) throws -> any AllocationSession
}

/// One backtest's sequence of decisions.
package protocol AllocationSession {
    /// Whether it must see every period (online rules learn from each period's relatives,
    /// even when only every N-th decision is traded).
    var decidesEveryPeriod: Bool { get }
    /// The decision after the close of the view's row; `holding` are the weights held at
    /// that close (drifted since the last trade; all cash at first).
    mutating func decide(_ view: MarketView, holding: [Double]) throws -> Allocation
    /// The regime label the allocator sees at the close of `row` (for `regime_max_gross`),
    /// or nil for an allocator without a regime model.
    func regime(atRow row: Int) -> RegimeLabel?
    /// Whether backtests over the same rows get the same decision at each row whatever they
    /// hold and whatever they trade: a decision depends only on the view, or, in a session
    /// that decides every period, on the views of the rows before it (default: false).
    var decisionsRepeat: Bool { get }
}

extension AllocationSession {
    package func regime(atRow row: Int) -> RegimeLabel? { nil }
    package var decisionsRepeat: Bool { false }
}

extension Allocator {
    package var overlay: OverlaySpec? { nil }

    package var tradesOnlyFirstAllocation: Bool { false }

    package var identity: AllocatorIdentity { AllocatorIdentity(kind: .baseline, name: name) }

    package var usesHindsight: Bool { false }

    package func session(deciding rows: ClosedRange<Int>, through view: MarketView) -> any AllocationSession {
        StatelessSession(allocator: self)
    }
}

/// The session of an allocator without state: every decision is `allocate`.
package struct StatelessSession<A: Allocator>: AllocationSession {
    let allocator: A

    package init(allocator: A) { self.allocator = allocator }

    package var decidesEveryPeriod: Bool { false }
    /// `allocate` reads the view only.
    package var decisionsRepeat: Bool { true }
    package mutating func decide(_ view: MarketView, holding: [Double]) throws -> Allocation {
        try allocator.allocate(view)
    }
}
