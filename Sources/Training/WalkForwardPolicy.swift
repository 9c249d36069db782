import Features
import Market
import Options
import Policy
import Portfolio
import Regimes

/// A training recipe evaluated walk-forward (contract section 8): one model per fold, each
/// trained only on data before its fold, deciding only over its fold's test periods. As an
/// allocator it is the stitched out-of-sample path: the simulator carries holdings, costs
/// and drift across fold boundaries exactly as production does when a retrained model
/// takes over the book.
package struct WalkForwardPolicy: Allocator, @unchecked Sendable {
    /// One fold's model and the return rows it decides for.
    package struct Fold: Sendable {
        package let returnRows: ClosedRange<Int>
        package let model: PolicyAllocator

        package init(returnRows: ClosedRange<Int>, model: PolicyAllocator) {
            self.returnRows = returnRows
            self.model = model
        }
    }

    package let identity: AllocatorIdentity
    /// The folds in time order; their return rows tile the evaluated range.
    package let folds: [Fold]

    /// - Precondition: at least one fold, in time order, test ranges adjacent.
    package init(recipe name: String, folds: [Fold]) {
        precondition(
            !folds.isEmpty
                && zip(folds, folds.dropFirst()).allSatisfy { $0.returnRows.upperBound + 1 == $1.returnRows.lowerBound },
            "WalkForwardPolicy: folds must tile the range")
        identity = AllocatorIdentity(kind: .recipe, name: name)
        self.folds = folds
    }

    package var name: String { identity.description }

    /// The recipe's options overlay (every fold model is trained from the same config).
    package var overlay: OverlaySpec? { folds.first?.model.overlay }

    package func firstDecisionRow(in market: Dataset) -> Int {
        max(folds[0].returnRows.lowerBound - 1, folds[0].model.firstDecisionRow(in: market))
    }

    /// The fold that decides at the close of `row` (for the period ending at `row + 1`).
    func fold(deciding row: Int) -> Int? {
        folds.firstIndex { $0.returnRows.contains(row + 1) }
    }

    package func allocate(_ view: MarketView) throws -> Allocation {
        guard let index = fold(deciding: view.row) else { throw outside(view.row) }
        return try folds[index].model.allocate(view)
    }

    package func session(deciding rows: ClosedRange<Int>, through view: MarketView) throws -> any AllocationSession {
        try WalkForwardSession(policy: self, view: view, rows: rows)
    }

    func outside(_ row: Int) -> PolicyAllocator.Incompatible {
        PolicyAllocator.Incompatible(description: "recipe \(name) has no fold deciding at row \(row)")
    }
}

/// The stitched session: each fold's model decides with its own session.
struct WalkForwardSession: AllocationSession {
    let policy: WalkForwardPolicy
    var sessions: [any AllocationSession]
    var decidesEveryPeriod: Bool { false }

    /// Each fold's session is made for the rows that fold decides (within `rows`).
    init(policy: WalkForwardPolicy, view: MarketView, rows: ClosedRange<Int>) throws {
        self.policy = policy
        sessions = try policy.folds.map { fold in
            let own = (fold.returnRows.lowerBound - 1)...(fold.returnRows.upperBound - 1)
            return try fold.model.session(deciding: own.clamped(to: rows), through: view)
        }
    }

    mutating func decide(_ view: MarketView, holding: [Double]) throws -> Allocation {
        guard let index = policy.fold(deciding: view.row) else { throw policy.outside(view.row) }
        return try sessions[index].decide(view, holding: holding)
    }

    func regime(atRow row: Int) -> RegimeLabel? {
        policy.fold(deciding: row).flatMap { sessions[$0].regime(atRow: row) }
    }
}
