import Portfolio
import Risk
import Support

/// Allocations from the window's moments (contract Appendix A, "Baselines"): sample means,
/// and the covariance of the baseline's estimator (sample by default).
enum StaticRules {
    /// `w_i` proportional to `1 / sd_i` (n - 1).
    static func inverseVolatility(_ returns: [[Double]]) -> [Double] {
        let m = returns[0].count
        let inverse = (0..<m).map { i -> Double in
            let sd = Statistics.standardDeviation(returns.map { $0[i] })
            return sd > 0 ? 1 / sd : 0
        }
        let total = inverse.reduce(0, +)
        return total > 0 ? inverse.map { $0 / total } : Array(repeating: 1 / Double(m), count: m)
    }

    /// `w_i` proportional to `1 / sqrt(Sigma_ii)`, the volatilities of an estimated covariance.
    static func inverseVolatility(covariance estimate: CovarianceEstimate) -> [Double] {
        let m = estimate.order
        let inverse = (0..<m).map { i -> Double in
            let variance = estimate.matrix[i * m + i]
            return variance > 0 ? 1 / variance.squareRoot() : 0
        }
        let total = inverse.reduce(0, +)
        return total > 0 ? inverse.map { $0 / total } : Array(repeating: 1 / Double(m), count: m)
    }

    /// The covariance scaled by its mean diagonal, so the solver sees numbers near 1.
    static func scaledCovariance(
        _ returns: [[Double]], estimator: CovarianceEstimator, warnings: inout [String]
    ) -> (matrix: [Double], order: Int) {
        let estimate = estimator.estimate(returns)
        if let warning = estimate.warning { warnings.append(warning) }
        let m = estimate.order
        let meanDiagonal = (0..<m).reduce(0) { $0 + estimate.matrix[$1 * m + $1] } / Double(m)
        let scale = meanDiagonal > 0 ? meanDiagonal : 1
        return (estimate.matrix.map { $0 / scale }, m)
    }

    /// `argmin w^T Sigma w` over the simplex.
    static func minimumVariance(_ returns: [[Double]], estimator: CovarianceEstimator, warnings: inout [String]) -> [Double] {
        let (sigma, m) = scaledCovariance(returns, estimator: estimator, warnings: &warnings)
        // Cannot throw: SimplexQP fails only when no entry of `a` is positive; here a = 1.
        let solution = try! SimplexQP.solve(
            q: sigma.map { 2 * $0 }, c: Array(repeating: 0, count: m), a: Array(repeating: 1, count: m))
        if solution.regularised { warnings.append("min-variance: the covariance is singular; a tiny ridge was added") }
        return normalised(solution.x)
    }

    /// `argmax mu^T w / sqrt(w^T Sigma w)` over the simplex (rf = 0, `mu` the sample means),
    /// by the equivalent
    /// `min y^T Sigma y` subject to `mu^T y = 1`, `y >= 0`, `w = y / sum y`; min-variance
    /// when no asset has a positive mean.
    static func maximumSharpe(_ returns: [[Double]], estimator: CovarianceEstimator, warnings: inout [String]) -> [Double] {
        let m = returns[0].count
        let mu = (0..<m).map { i in Statistics.mean(returns.map { $0[i] }) }
        guard mu.contains(where: { $0 > 0 }) else {
            warnings.append("max-sharpe: no asset has a positive mean return; using min-variance")
            return minimumVariance(returns, estimator: estimator, warnings: &warnings)
        }
        let (sigma, _) = scaledCovariance(returns, estimator: estimator, warnings: &warnings)
        let scale = mu.map(Swift.abs).max()!
        // Cannot throw: the guard above ensures some mu > 0, so `a` has a positive entry.
        let solution = try! SimplexQP.solve(q: sigma.map { 2 * $0 }, c: Array(repeating: 0, count: m), a: mu.map { $0 / scale })
        if solution.regularised { warnings.append("max-sharpe: the covariance is singular; a tiny ridge was added") }
        return normalised(solution.x)
    }

    /// Non-negative and summing to 1 exactly (rounding of the solvers removed).
    static func normalised(_ x: [Double]) -> [Double] {
        let clipped = x.map { Swift.max($0, 0) }
        let total = clipped.reduce(0, +)
        return clipped.map { $0 / total }
    }
}
