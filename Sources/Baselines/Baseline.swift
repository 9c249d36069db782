import Market
import Portfolio
import Risk
import Support

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

    /// Why a baseline cannot allocate on the data (65).
    package struct Failure: ReportableError {
        package let description: String
        package var exitStatus: Int32 { ExitStatus.badData }
    }

    package func allocate(_ view: MarketView) throws -> Allocation {
        let market = view.history
        let row = view.row
        let eligible = WindowReturns.eligibleAssets(market, endingAt: row, window: window)
        guard !eligible.isEmpty else {
            throw Failure(
                description:
                    "no asset has a price on every row of the \(window)-return window ending at \(market.dates[row]); use a shorter --window or a later --as-of"
            )
        }
        let returns = try WindowReturns(market, assets: eligible, endingAt: row, window: window).returns
        var warnings: [String] = []
        let local: [Double]
        switch rule {
        case .equalWeight:
            local = Array(repeating: 1 / Double(eligible.count), count: eligible.count)
        case .inverseVolatility:
            local = StaticRules.inverseVolatility(returns)
        case .minimumVariance:
            local = StaticRules.minimumVariance(returns, warnings: &warnings)
        case .maximumSharpe:
            local = StaticRules.maximumSharpe(returns, warnings: &warnings)
        case .riskParity:
            local = RiskParity.weights(CovarianceEstimator.sample.estimate(returns), warnings: &warnings)
        case .hierarchicalRiskParity:
            local = HierarchicalRiskParity.weights(CovarianceEstimator.sample.estimate(returns).matrix, order: eligible.count)
        default:
            local = OnlineRules.run(rule, relatives: returns.map { $0.map { 1 + $0 } }, warnings: &warnings)
        }
        var weights = [Double](repeating: 0, count: market.assets.count)
        for (k, asset) in eligible.enumerated() { weights[asset] = local[k] }
        return Allocation(weights: weights, warnings: warnings)
    }
}
