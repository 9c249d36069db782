import Foundation
import Market
import Portfolio
import Risk

/// The risk-budget policy's core at one decision row (`BudgetDesign` layers 1 and 2): the
/// assets with a full covariance window, their shrunk EWMA covariance, the anchor budgets,
/// and the exposure (the share of the portfolio in the core; the rest is cash). Computed from
/// the market through the row only, so a row gives what the daily job computes that day.
package struct BudgetCore: Sendable, Equatable {
    /// The assets in the core (dataset indices), ascending.
    package let assets: [Int]
    /// Their covariance, row-major `[m, m]`, per period.
    package let covariance: [Double]
    /// The anchor budgets over `assets`, positive, summing to 1.
    package let anchor: [Double]
    /// The risk-budgeting solution at the anchor budgets (tilted solves start from it).
    package let anchorSolution: RiskBudgeting.Solution
    /// The core's weights at the anchor (`RiskBudgeting` of the anchor budgets).
    package var weights: [Double] { anchorSolution.weights }
    /// The volatility-target scale before the gate: `min(1, target / forecast vol)`.
    package let volatilityScale: Double

    /// The core at `row` of `market`; nil when no asset has a full window (the policy then
    /// holds cash).
    package init?(_ market: Dataset, row: Int, design: BudgetDesign) {
        let eligible = WindowReturns.eligibleAssets(market, endingAt: row, window: design.window)
        guard !eligible.isEmpty,
            let returns = try? WindowReturns(market, assets: eligible, endingAt: row, window: design.window).returns
        else { return nil }
        let m = eligible.count
        let covariance = CovarianceEstimator.shrunkEWMA(returns, halfLife: design.halfLife).matrix
        guard covariance.allSatisfy(\.isFinite), (0..<m).allSatisfy({ covariance[$0 * m + $0] > 0 }) else { return nil }
        assets = eligible
        self.covariance = covariance
        let anchor = Self.anchorBudgets(covariance, order: m, design: design)
        anchorSolution = RiskBudgeting.solve(covariance: covariance, order: m, budgets: .given(anchor))
        let weights = anchorSolution.weights
        self.anchor = anchor
        let variance = (0..<m).reduce(0.0) { total, i in
            total + weights[i] * (0..<m).reduce(0.0) { $0 + covariance[i * m + $1] * weights[$1] }
        }
        let forecast = (variance * market.periodsPerYear).squareRoot()
        volatilityScale = design.targetVolatility.map { forecast > 0 ? min(1, $0 / forecast) : 1 } ?? 1
    }

    /// A core given by its parts (a training dump read back); the anchor solution is solved
    /// here, as the core computed from the market solves it.
    /// - Precondition: `covariance` is `[m, m]` for the `m` assets, `anchor` has `m` positive entries.
    package init(assets: [Int], covariance: [Double], anchor: [Double], volatilityScale: Double) {
        precondition(
            !assets.isEmpty && covariance.count == assets.count * assets.count && anchor.count == assets.count,
            "BudgetCore: \(assets.count) assets, \(covariance.count) covariance entries, \(anchor.count) budgets")
        self.assets = assets
        self.covariance = covariance
        self.anchor = anchor
        anchorSolution = RiskBudgeting.solve(covariance: covariance, order: assets.count, budgets: .given(anchor))
        self.volatilityScale = volatilityScale
    }

    /// Min-variance weights (the long-only QP on the covariance scaled by its mean diagonal)
    /// floored at `floor / m` and renormalised; or equal budgets.
    static func anchorBudgets(_ covariance: [Double], order m: Int, design: BudgetDesign) -> [Double] {
        guard design.anchor == .minimumVariance, m > 1 else { return Array(repeating: 1 / Double(m), count: m) }
        let scale = (0..<m).reduce(0) { $0 + covariance[$1 * m + $1] } / Double(m)
        // Cannot throw: SimplexQP fails only when no entry of `a` is positive; here a = 1.
        let solution = try! SimplexQP.solve(
            q: covariance.map { 2 * $0 / scale }, c: Array(repeating: 0, count: m), a: Array(repeating: 1, count: m))
        let least = design.floor / Double(m)
        let floored = solution.x.map { max($0, least) }
        let total = floored.reduce(0, +)
        return floored.map { $0 / total }
    }
}
