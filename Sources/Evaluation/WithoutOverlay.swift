import Market
import Options
import Portfolio

/// A model evaluated without its options overlay, beside itself with it (contract section 7:
/// "evaluates against the same model without it"): the same weights, no options.
package struct WithoutOverlay: Allocator, @unchecked Sendable {
    package let base: any Allocator

    package init(_ base: any Allocator) { self.base = base }

    package var name: String { base.name + " (no overlay)" }
    package var identity: AllocatorIdentity {
        AllocatorIdentity(kind: base.identity.kind, name: base.identity.name + " (no overlay)", version: base.identity.version)
    }
    package var overlay: OverlaySpec? { nil }
    package var tradesOnlyFirstAllocation: Bool { base.tradesOnlyFirstAllocation }
    package var usesHindsight: Bool { base.usesHindsight }
    package func allocate(_ view: MarketView) throws -> Allocation { try base.allocate(view) }
    package func firstDecisionRow(in market: Dataset) -> Int { base.firstDecisionRow(in: market) }
    package func session(deciding rows: ClosedRange<Int>, through view: MarketView) throws -> any AllocationSession {
        try base.session(deciding: rows, through: view)
    }
}
