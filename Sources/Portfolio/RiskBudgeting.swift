import Foundation
import LinearAlgebra

/// Risk budgeting: long-only weights whose risk contributions `w_i (Sigma w)_i` are in the
/// proportions of given budgets `b` (`b_i > 0`), and the gradient of those weights with
/// respect to the budgets.
///
/// The problem is solved as the strictly convex `min 1/2 y^T S y - sum_i b_i log y_i` (Spinu
/// 2013), whose unique minimiser satisfies `y_i (S y)_i = b_i`, by Newton's method with
/// backtracking (one Cholesky solve per step), then `w = y / sum y`; S is the covariance
/// scaled by its mean diagonal, which leaves w unchanged. Newton converges quadratically, to
/// the rounding floor in a few steps, which is why it was chosen over the cyclical
/// coordinate descent of Griveau-Billion, Richard and Roncalli (2013).
///
/// The gradient is by implicit differentiation of the optimality condition
/// `F(y, b) = S y - b / y = 0` (Uysal, Li and Mulvey 2024 use the same layer):
/// `dy/db = H^-1 diag(1/y)` with `H = S + diag(b / y^2)`, then through `w = y / sum y`. One
/// symmetric solve per gradient, whatever the number of Newton steps.
package enum RiskBudgeting {
    /// The budgets: the same for every asset (risk parity), or given per asset.
    package enum Budgets: Sendable {
        case equal
        case given([Double])
    }

    /// A solution: the weights and what the gradient needs.
    package struct Solution: Sendable, Equatable {
        /// Long-only weights summing to 1.
        package let weights: [Double]
        /// The scaled covariance S and the minimiser y of the scaled problem.
        let scaled: [Double]
        let y: [Double]
        let budgets: [Double]
    }

    /// Solves for the `order x order` row-major `covariance` (symmetric positive definite, or
    /// semi-definite with positive diagonal) and the budgets.
    /// - Parameter start: a solution for the same covariance and nearby budgets to start
    ///   Newton from (the risk-budget policy starts each tilted solve from its anchor's).
    /// - Precondition: `order >= 1`; given budgets have `order` entries, all positive.
    package static func solve(covariance: [Double], order m: Int, budgets: Budgets, start: Solution? = nil) -> Solution {
        let b: [Double]
        var isEqual = false
        switch budgets {
        case .equal:
            b = Array(repeating: 1 / Double(m), count: m)
            isEqual = true
        case .given(let given):
            precondition(given.count == m && given.allSatisfy { $0 > 0 }, "risk budgets: \(m) positive budgets needed")
            b = given
        }
        let meanDiagonal = (0..<m).reduce(0) { $0 + covariance[$1 * m + $1] } / Double(m)
        let s = covariance.map { $0 / (meanDiagonal > 0 ? meanDiagonal : 1) }
        func product(_ v: [Double]) -> [Double] { (0..<m).map { i in (0..<m).reduce(0) { $0 + s[i * m + $1] * v[$1] } } }
        func logBarrier(_ v: [Double]) -> Double {
            switch budgets {
            case .equal: b[0] * v.reduce(0) { $0 + Foundation.log($1) }
            case .given: zip(b, v).reduce(0) { $0 + $1.0 * Foundation.log($1.1) }
            }
        }
        func objective(_ v: [Double]) -> Double { 0.5 * zip(v, product(v)).reduce(0) { $0 + $1.0 * $1.1 } - logBarrier(v) }
        /// The largest entry of the optimality residual `S y - b / y`.
        func residual(_ v: [Double]) -> Double { zip(product(v), zip(b, v)).map { Swift.abs($0 - $1.0 / $1.1) }.max()! }
        var y = (0..<m).map { b[$0].squareRoot() / max(s[$0 * m + $0], 1e-300).squareRoot() }
        if case .equal = budgets { y = (0..<m).map { 1 / max(s[$0 * m + $0], 1e-300).squareRoot() } }
        if let start, start.y.count == m, start.scaled == s { y = start.y }
        for _ in 0..<100 {
            let sy = product(y)
            let gradient = (0..<m).map { sy[$0] - b[$0] / y[$0] }
            if gradient.map(Swift.abs).max()! < 1e-15 { break }
            guard let factor = try? Cholesky(symmetric: hessian(s, y: y, budgets: b), order: m) else { break }
            let direction = factor.solve(gradient).map { -$0 }
            var step = 1.0
            let current = objective(y)
            // Near the minimiser the objective stops resolving progress (rounding at about
            // the square root of the precision in y), so a step that lowers the residual is
            // taken too: Newton's last steps then reach the rounding floor in y itself, which
            // the implicit gradient relies on. (Equal budgets keep the objective test alone,
            // the risk-parity baseline's published bytes.)
            let currentResidual = isEqual ? 0 : residual(y)
            while step > 1e-12 {
                let candidate = zip(y, direction).map { $0 + step * $1 }
                if candidate.allSatisfy({ $0 > 0 })
                    && (objective(candidate) <= current || (!isEqual && residual(candidate) < currentResidual))
                {
                    y = candidate
                    break
                }
                step /= 2
            }
            if step <= 1e-12 { break }
        }
        let total = y.reduce(0, +)
        return Solution(weights: y.map { $0 / total }, scaled: s, y: y, budgets: b)
    }

    /// `H = S + diag(b / y^2)`, the Hessian of the objective (and the Jacobian of F in y).
    static func hessian(_ s: [Double], y: [Double], budgets b: [Double]) -> [Double] {
        let m = y.count
        var h = s
        for i in 0..<m { h[i * m + i] += b[i] / (y[i] * y[i]) }
        return h
    }

    /// The gradient with respect to the budgets of a loss whose gradient with respect to the
    /// weights is `upstream`: `(dw/db)^T upstream`, the budgets taken as free variables.
    package static func budgetGradient(_ solution: Solution, upstream: [Double]) -> [Double] {
        let (y, w, b) = (solution.y, solution.weights, solution.budgets)
        let m = y.count
        let total = y.reduce(0, +)
        let along = zip(upstream, w).reduce(0) { $0 + $1.0 * $1.1 }
        let gy = upstream.map { ($0 - along) / total }
        let h = hessian(solution.scaled, y: y, budgets: b)
        // H is positive definite at the minimiser (S semi-definite plus a positive diagonal);
        // a relative ridge guards the rounding case, as in `GaussianHMM`.
        let largest = (0..<m).map { h[$0 * m + $0] }.max()!
        let ridged = h.enumerated().map { $0.offset % (m + 1) == 0 ? $0.element + 1e-12 * largest : $0.element }
        // Cannot throw: the ridged matrix has a diagonal dominating its rounding errors.
        let factor = (try? Cholesky(symmetric: h, order: m)) ?? (try! Cholesky(symmetric: ridged, order: m))
        let v = factor.solve(gy)
        return (0..<m).map { v[$0] / y[$0] }
    }
}
