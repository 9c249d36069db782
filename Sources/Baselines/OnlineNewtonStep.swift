import LinearAlgebra
import Portfolio

/// Online Newton step (Agarwal et al. 2006), contract form: `g_s = x_s / (b_s . x_s)`,
/// `A = I + sum g g^T`, `v = (1 + 1/beta) sum g`, `q = delta A^-1 v`,
/// `b_{t+1} = (1 - eta) argmin_{b in simplex} (b - q)^T A (b - q) + eta / m`, the argmin
/// solved exactly by `SimplexQP`, `A^-1 v` by a Cholesky solve.
enum OnlineNewtonStep {
    static func run(_ x: [[Double]], delta: Double, beta: Double, eta: Double) -> [Double] {
        let m = x[0].count
        var b = [Double](repeating: 1 / Double(m), count: m)
        var a = [Double](repeating: 0, count: m * m)
        for i in 0..<m { a[i * m + i] = 1 }
        var gradientSum = [Double](repeating: 0, count: m)
        for xt in x {
            let growth = OnlineRules.dot(b, xt)
            let g = xt.map { $0 / growth }
            for i in 0..<m {
                gradientSum[i] += g[i]
                for j in 0..<m { a[i * m + j] += g[i] * g[j] }
            }
            let v = gradientSum.map { (1 + 1 / beta) * $0 }
            let q = try! Cholesky(symmetric: a, order: m).solve(v).map { delta * $0 }
            let aq = (0..<m).map { i in (0..<m).reduce(0) { $0 + a[i * m + $1] * q[$1] } }
            let projected = try! SimplexQP.solve(q: a.map { 2 * $0 }, c: aq.map { -2 * $0 }, a: Array(repeating: 1, count: m)).x
            b = projected.map { (1 - eta) * max($0, 0) + eta / Double(m) }
            let total = b.reduce(0, +)
            b = b.map { $0 / total }
        }
        return b
    }
}
