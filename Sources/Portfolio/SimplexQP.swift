import LinearAlgebra

/// `min 1/2 x^T Q x + c^T x` subject to `a^T x = 1`, `x >= 0`, for symmetric positive-definite
/// Q: min-variance (a = 1), max-Sharpe (a = mu), the ONS projection.
///
/// A primal active-set method (Nocedal and Wright, algorithm 16.3): it keeps a feasible
/// point, solves the equality-constrained problem on the free coordinates exactly (a
/// Cholesky solve, never an inverse), steps to the nearest blocking bound, and frees the
/// bound with the most negative multiplier. It ends at the exact KKT point in finitely many
/// steps, which is why it was chosen over projected gradient or ADMM: the optimum is exact
/// to rounding (the contract asks for 1e-8 in the objective), with no step size to tune.
package enum SimplexQP {
    /// Why the problem cannot be solved.
    package enum Failure: Error, Equatable {
        /// No coordinate has a positive `a`, so `a^T x = 1` has no solution with `x >= 0`.
        case infeasible
    }

    /// The solution, and whether Q had to be regularised (near singular).
    /// - Precondition: `q` is `m x m` row-major and symmetric; `c` and `a` have m entries.
    package static func solve(q: [Double], c: [Double], a: [Double]) throws(Failure) -> (x: [Double], regularised: Bool) {
        let m = a.count
        precondition(q.count == m * m && c.count == m, "SimplexQP: dimensions do not match")
        guard let start = a.indices.max(by: { a[$0] < a[$1] }), a[start] > 0 else { throw .infeasible }
        var x = [Double](repeating: 0, count: m)
        x[start] = 1 / a[start]
        var atBound = Set(a.indices.filter { $0 != start })
        var regularised = false
        let scale = max((0..<m).map { q[$0 * m + $0] }.max() ?? 1, 1e-300)
        for _ in 0..<(50 * m + 50) {
            let free = a.indices.filter { !atBound.contains($0) }
            let (target, ridge) = equalitySolution(q: q, c: c, a: a, free: free, m: m, scale: scale)
            regularised = regularised || ridge
            var proposal = [Double](repeating: 0, count: m)
            for (k, i) in free.enumerated() { proposal[i] = target[k] }
            let blocking = free.filter { proposal[$0] < 0 && proposal[$0] < x[$0] }
            if blocking.isEmpty {
                x = proposal
                // Multipliers of the bounds: (Qx + c)_j - lambda a_j must be >= 0.
                let gradient = (0..<m).map { i in (0..<m).reduce(c[i]) { $0 + q[i * m + $1] * x[$1] } }
                let reference = free.max { Swift.abs(a[$0]) < Swift.abs(a[$1]) }!
                let lambda = gradient[reference] / a[reference]
                let multipliers = atBound.map { ($0, gradient[$0] - lambda * a[$0]) }
                guard let worst = multipliers.min(by: { $0.1 < $1.1 }), worst.1 < -1e-13 * scale else { return (x, regularised) }
                atBound.remove(worst.0)
            } else {
                var step = 1.0
                var blocker = blocking[0]
                for i in blocking {
                    let candidate = x[i] / (x[i] - proposal[i])
                    if candidate < step {
                        step = candidate
                        blocker = i
                    }
                }
                for i in free { x[i] += step * (proposal[i] - x[i]) }
                x[blocker] = 0
                atBound.insert(blocker)
            }
        }
        return (x, regularised)
    }

    /// `x_F = lambda Q_FF^-1 a_F - Q_FF^-1 c_F` with `lambda` making `a_F^T x_F = 1`.
    private static func equalitySolution(q: [Double], c: [Double], a: [Double], free: [Int], m: Int, scale: Double) -> (
        [Double], Bool
    ) {
        let k = free.count
        var sub = [Double](repeating: 0, count: k * k)
        for (r, i) in free.enumerated() {
            for (s, j) in free.enumerated() { sub[r * k + s] = q[i * m + j] }
        }
        var ridge = 0.0
        var regularised = false
        while true {
            var matrix = sub
            for r in 0..<k { matrix[r * k + r] += ridge }
            if let factor = try? Cholesky(symmetric: matrix, order: k) {
                let u = factor.solve(free.map { a[$0] })
                let v = factor.solve(free.map { c[$0] })
                let au = zip(free, u).reduce(0) { $0 + a[$1.0] * $1.1 }
                let av = zip(free, v).reduce(0) { $0 + a[$1.0] * $1.1 }
                let lambda = (1 + av) / au
                return (zip(u, v).map { lambda * $0 - $1 }, regularised)
            }
            // Numerically singular: a tiny ridge relative to the scale keeps the solve finite.
            ridge = ridge == 0 ? 1e-14 * scale : ridge * 10
            regularised = true
        }
    }
}
