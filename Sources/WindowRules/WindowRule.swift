import Market
import Portfolio
import Risk
import Support

/// The baselines that allocate from a trailing estimation window alone (contract Appendix A,
/// "Baselines"): what a sleeve-mixture policy mixes in the daily job. The online rules, and
/// `bcrp`'s hindsight, live in `Baselines`, which the daily job does not link. Raw values are
/// the CLI spellings.
package enum WindowRule: String, CaseIterable, Sendable {
    case equalWeight = "equal-weight"
    case inverseVolatility = "inverse-vol"
    case minimumVariance = "min-variance"
    case maximumSharpe = "max-sharpe"
    case riskParity = "risk-parity"
    case hierarchicalRiskParity = "hrp"

    /// No asset has a full window at the decision row (65).
    package struct Failure: ReportableError {
        package let description: String
        package var exitStatus: Int32 { ExitStatus.badData }
    }

    /// The assets with a return on every row of the `window` returns ending at the view's
    /// row, and those returns (oldest first, one column per asset).
    package static func windowReturns(_ view: MarketView, window: Int) throws -> (eligible: [Int], returns: [[Double]]) {
        let market = view.history
        let eligible = WindowReturns.eligibleAssets(market, endingAt: view.row, window: window)
        guard !eligible.isEmpty else {
            throw Failure(
                description:
                    "no asset has a price on every row of the \(window)-return window ending at \(market.dates[view.row]); use a shorter --window or a later --as-of"
            )
        }
        return (eligible, try WindowReturns(market, assets: eligible, endingAt: view.row, window: window).returns)
    }

    /// Whether the rule allocates from a covariance matrix, and so takes a covariance
    /// estimator (contract section 2: `inverse-vol`, `min-variance`, `max-sharpe`,
    /// `risk-parity`, `hrp`).
    package var usesCovariance: Bool { self != .equalWeight }

    /// The rule's weights over the eligible assets of the window ending at the view's row;
    /// the others get 0. Long-only and fully invested.
    /// - Parameters:
    ///   - window: returns in the estimation window.
    ///   - estimator: the covariance of the window's returns (Appendix A); means stay sample
    ///     means. `inverse-vol` takes the square roots of its diagonal (with `sample`, the
    ///     standard deviations with n - 1, as before). Ignored by `equal-weight`.
    package func allocate(_ view: MarketView, window: Int, estimator: CovarianceEstimator = .sample) throws -> Allocation {
        let (eligible, returns) = try Self.windowReturns(view, window: window)
        var warnings: [String] = []
        let local: [Double]
        switch self {
        case .equalWeight: local = Array(repeating: 1 / Double(eligible.count), count: eligible.count)
        case .inverseVolatility:
            local =
                estimator == .sample
                ? StaticRules.inverseVolatility(returns)
                : StaticRules.inverseVolatility(covariance: estimator.estimate(returns))
        case .minimumVariance: local = StaticRules.minimumVariance(returns, estimator: estimator, warnings: &warnings)
        case .maximumSharpe: local = StaticRules.maximumSharpe(returns, estimator: estimator, warnings: &warnings)
        case .riskParity: local = RiskParity.weights(estimator.estimate(returns), warnings: &warnings)
        case .hierarchicalRiskParity:
            local = HierarchicalRiskParity.weights(estimator.estimate(returns).matrix, order: eligible.count)
        }
        return Allocation(weights: Self.spread(local, over: eligible, assets: view.history.assets.count), warnings: warnings)
    }

    /// Weights over all `assets` from weights over the `eligible` ones (0 elsewhere).
    package static func spread(_ local: [Double], over eligible: [Int], assets: Int) -> [Double] {
        var weights = [Double](repeating: 0, count: assets)
        for (k, asset) in eligible.enumerated() { weights[asset] = local[k] }
        return weights
    }
}
