import Foundation
import Portfolio

/// The best constant rebalanced portfolio in hindsight: `argmax_b sum_t log(b . x_t)` over
/// the simplex, for evaluation only (it sees the whole range it is judged on).
///
/// Solved by Newton steps constrained to the simplex: each step minimises the local
/// quadratic model exactly with `SimplexQP`, then a backtracking line search; the objective
/// is concave, so this reaches the optimum to rounding in a few dozen steps.
enum BestConstantRebalanced {
    static func weights(_ x: [[Double]]) -> [Double] {
        let m = x[0].count
        var b = [Double](repeating: 1 / Double(m), count: m)
        func objective(_ v: [Double]) -> Double { x.reduce(0) { $0 + Foundation.log(OnlineRules.dot(v, $1)) } }
        for _ in 0..<200 {
            var gradient = [Double](repeating: 0, count: m)
            var curvature = [Double](repeating: 0, count: m * m)
            for xt in x {
                let growth = OnlineRules.dot(b, xt)
                for i in 0..<m {
                    gradient[i] += xt[i] / growth
                    for j in 0..<m { curvature[i * m + j] += xt[i] * xt[j] / (growth * growth) }
                }
            }
            // Minimise -model: 1/2 d^T C d - g^T d with d = z - b, over z in the simplex.
            let trace = (0..<m).reduce(0) { $0 + curvature[$1 * m + $1] }
            for i in 0..<m { curvature[i * m + i] += 1e-12 * trace }
            let cb = (0..<m).map { i in (0..<m).reduce(0) { $0 + curvature[i * m + $1] * b[$1] } }
            guard
                let z = try? SimplexQP.solve(
                    q: curvature, c: zip(gradient, cb).map { -$0 - $1 }, a: Array(repeating: 1, count: m)
                ).x
            else { break }
            let direction = zip(z, b).map { $0 - $1 }
            if direction.map(Swift.abs).max()! < 1e-15 { break }
            var step = 1.0
            let current = objective(b)
            while step > 1e-10 {
                let candidate = zip(b, direction).map { max($0 + step * $1, 0) }
                if objective(candidate) >= current {
                    b = candidate
                    break
                }
                step /= 2
            }
            if step <= 1e-10 { break }
        }
        let total = b.reduce(0, +)
        return b.map { $0 / total }
    }
}
