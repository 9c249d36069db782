import Market
import Portfolio
import Risk
import WindowRules

/// A baseline allocator: the named rule applied to the estimation window ending at the
/// decision row (default 90 returns), with its covariance estimator (sample unless the spec
/// names another). An asset takes part only when it has a return on every row of the
/// window; the others get weight 0. Weights are long-only and fully invested (no cash).
package struct Baseline: Allocator {
    /// The rule.
    package let rule: BaselineName
    /// The covariance estimator of the covariance-based rules (`sample` for the others).
    package let estimator: CovarianceEstimator
    /// Returns in the estimation window.
    package let window: Int

    /// The baseline a spec names.
    package init(_ spec: BaselineSpec, window: Int = 90) {
        precondition(window >= 2, "Baseline: the window must hold at least 2 returns")
        self.rule = spec.rule
        self.estimator = spec.estimator
        self.window = window
    }

    /// The plain baseline (sample covariance) of a rule.
    package init(_ rule: BaselineName, window: Int = 90) {
        self.init(BaselineSpec(rule), window: window)
    }

    /// The spec it runs.
    package var spec: BaselineSpec { BaselineSpec(rule, estimator: estimator) }

    /// `NAME`, or `NAME:ESTIMATOR` for an estimator other than sample.
    package var name: String { spec.name }

    /// The baseline of a window rule (what a policy's sleeve follows).
    package init(_ rule: WindowRule, window: Int = 90) {
        self.init(BaselineName(rawValue: rule.rawValue)!, window: window)
    }

    package func allocate(_ view: MarketView) throws -> Allocation {
        if let windowRule = rule.windowRule { return try windowRule.allocate(view, window: window, estimator: estimator) }
        let (eligible, returns) = try WindowRule.windowReturns(view, window: window)
        var warnings: [String] = []
        let local = OnlineRules.run(rule, relatives: returns.map { $0.map { 1 + $0 } }, warnings: &warnings)
        return Allocation(
            weights: WindowRule.spread(local, over: eligible, assets: view.history.assets.count), warnings: warnings)
    }
}
