import Foundation
import Portfolio

/// Online portfolio selection over a window, exactly as contract Appendix A defines each
/// rule: `run` feeds the relatives `x_1 ... x_T` (oldest first) to an `OnlinePortfolio`
/// from a uniform `b_1` and returns `b_{T+1}` (for `ubah`, the drifted weights of a uniform
/// buy-and-hold); `bcrp` solves its hindsight problem over the window. The single-step
/// updates live here and are shared with the period-by-period backtest.
enum OnlineRules {
    static func run(_ rule: BaselineName, relatives x: [[Double]], warnings: inout [String]) -> [Double] {
        if rule == .bestConstantRebalanced { return BestConstantRebalanced.weights(x) }
        var state = OnlinePortfolio(rule, assets: x[0].count)
        for xt in x { state.observe(xt) }
        return state.decision
    }

    static func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }

    /// `b_{t+1}` proportional to `b_t * exp(eta x_t / (b_t . x_t))`.
    static func exponentiatedGradient(_ b: [Double], _ x: [Double], eta: Double) -> [Double] {
        let growth = dot(b, x)
        let unnormalised = zip(b, x).map { $0 * Foundation.exp(eta * $1 / growth) }
        let total = unnormalised.reduce(0, +)
        return unnormalised.map { $0 / total }
    }

    /// `Proj(b - lambda (x - mean x))`, `lambda = max(0, b.x - eps) / ||x - mean x||^2`.
    static func pamr(_ b: [Double], _ x: [Double], epsilon: Double) -> [Double] {
        let mean = x.reduce(0, +) / Double(x.count)
        let centred = x.map { $0 - mean }
        let norm = dot(centred, centred)
        let lambda = norm == 0 ? 0 : max(0, dot(b, x) - epsilon) / norm
        return SimplexProjection.project(zip(b, centred).map { $0 - lambda * $1 })
    }

    /// OLMAR-1: `b_1 = b_2` uniform; for t >= 3, with k = t - 1 relatives known, the
    /// predicted relative `phi` (the last relative while k < W + 1, else the W-period moving
    /// average of prices over the current price), then a passive-aggressive step toward it.
    /// `relatives` holds the k relatives known; returns `b_{k+1}` from `b = b_k`.
    static func olmarStep(_ b: [Double], relatives x: [[Double]], window w: Int, epsilon: Double) -> [Double] {
        let k = x.count
        let m = b.count
        guard k >= 2 else { return b }
        let phi: [Double]
        if k < w + 1 {
            phi = x[k - 1]
        } else {
            phi = (0..<m).map { i in
                var total = 0.0
                var ratio = 1.0
                for back in 0..<w {
                    // p_{k-back} / p_k: divide by the relatives after k - back.
                    if back > 0 { ratio /= x[k - back][i] }
                    total += ratio
                }
                return total / Double(w)
            }
        }
        let mean = phi.reduce(0, +) / Double(m)
        let centred = phi.map { $0 - mean }
        let norm = dot(centred, centred)
        let lambda = norm == 0 ? 0 : max(0, epsilon - dot(b, phi)) / norm
        return SimplexProjection.project(zip(b, centred).map { $0 + lambda * $1 })
    }
}
