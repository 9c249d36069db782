import Market
import Portfolio
import WindowRules

/// A baseline allocator: the named rule applied to the estimation window ending at the
/// decision row (default 90 returns). An asset takes part only when it has a return on
/// every row of the window; the others get weight 0. Weights are long-only and fully
/// invested (no cash).
package struct Baseline: Allocator {
    /// The rule.
    package let rule: BaselineName
    /// Returns in the estimation window.
    package let window: Int

    package init(_ rule: BaselineName, window: Int = 90) {
        precondition(window >= 2, "Baseline: the window must hold at least 2 returns")
        self.rule = rule
        self.window = window
    }

    package var name: String { rule.rawValue }

    /// The baseline of a window rule (what a policy's sleeve follows).
    package init(_ rule: WindowRule, window: Int = 90) {
        self.init(BaselineName(rawValue: rule.rawValue)!, window: window)
    }

    package func allocate(_ view: MarketView) throws -> Allocation {
        if let windowRule = rule.windowRule { return try windowRule.allocate(view, window: window) }
        let (eligible, returns) = try WindowRule.windowReturns(view, window: window)
        var warnings: [String] = []
        let local = OnlineRules.run(rule, relatives: returns.map { $0.map { 1 + $0 } }, warnings: &warnings)
        return Allocation(
            weights: WindowRule.spread(local, over: eligible, assets: view.history.assets.count), warnings: warnings)
    }
}
