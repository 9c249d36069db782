import Foundation
import Portfolio

/// Online portfolio selection, exactly as contract Appendix A defines each rule. `run`
/// starts from a uniform `b_1`, updates period by period from the algorithm's own previous
/// decision (never from drifted weights) over the price relatives `x_1 ... x_T` (rows oldest
/// first), and returns `b_{T+1}`, the portfolio for the next period; for `ubah`, the
/// drifted weights of a uniform buy-and-hold.
enum OnlineRules {
    static func run(_ rule: BaselineName, relatives x: [[Double]], warnings: inout [String]) -> [Double] {
        let m = x[0].count
        let uniform = [Double](repeating: 1 / Double(m), count: m)
        switch rule {
        case .constantRebalanced:
            return uniform
        case .buyAndHold:
            let grown = (0..<m).map { i in x.reduce(1.0 / Double(m)) { $0 * $1[i] } }
            let total = grown.reduce(0, +)
            return grown.map { $0 / total }
        case .exponentiatedGradient:
            return x.reduce(uniform) { b, xt in exponentiatedGradient(b, xt, eta: 0.05) }
        case .pamr:
            return x.reduce(uniform) { b, xt in pamr(b, xt, epsilon: 0.5) }
        case .olmar:
            return olmar(x, window: 5, epsilon: 10)
        case .onlineNewtonStep:
            return OnlineNewtonStep.run(x, delta: 0.125, beta: 1, eta: 0)
        case .anticor:
            return Anticor.run(x, window: 30)
        case .bestConstantRebalanced:
            return BestConstantRebalanced.weights(x)
        default:
            preconditionFailure("OnlineRules: \(rule.rawValue) is not an online rule")
        }
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
    static func olmar(_ x: [[Double]], window w: Int, epsilon: Double) -> [Double] {
        let m = x[0].count
        var b = [Double](repeating: 1 / Double(m), count: m)
        guard x.count >= 2 else { return b }
        for k in 2...x.count {
            let phi: [Double]
            if k < w + 1 {
                phi = x[k - 1]
            } else {
                phi = (0..<m).map { i in
                    var total = 0.0, ratio = 1.0
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
            b = SimplexProjection.project(zip(b, centred).map { $0 + lambda * $1 })
        }
        return b
    }
}
