import Foundation
import LinearAlgebra
import Risk

/// Equal risk contribution: `w_i (Sigma w)_i` equal for all i, `w > 0`, `sum w = 1`.
///
/// Solved as the strictly convex problem `min 1/2 y^T S y - (1/m) sum log y_i` (Spinu 2013),
/// whose unique minimiser has `y_i (S y)_i = 1/m`, by Newton's method with backtracking (a
/// Cholesky solve per step), then `w = y / sum y`. S is the covariance scaled by its mean
/// diagonal; Newton converges quadratically, to the rounding floor in a few steps.
enum RiskParity {
    static func weights(_ estimate: CovarianceEstimate, warnings: inout [String]) -> [Double] {
        if let warning = estimate.warning { warnings.append(warning) }
        let m = estimate.order
        let meanDiagonal = (0..<m).reduce(0) { $0 + estimate.matrix[$1 * m + $1] } / Double(m)
        let s = estimate.matrix.map { $0 / (meanDiagonal > 0 ? meanDiagonal : 1) }
        let target = 1 / Double(m)
        var y = (0..<m).map { 1 / max(s[$0 * m + $0], 1e-300).squareRoot() }
        func product(_ v: [Double]) -> [Double] { (0..<m).map { i in (0..<m).reduce(0) { $0 + s[i * m + $1] * v[$1] } } }
        func objective(_ v: [Double]) -> Double {
            let sv = product(v)
            return 0.5 * zip(v, sv).reduce(0) { $0 + $1.0 * $1.1 } - target * v.reduce(0) { $0 + Foundation.log($1) }
        }
        for _ in 0..<100 {
            let sy = product(y)
            let gradient = (0..<m).map { sy[$0] - target / y[$0] }
            if gradient.map(Swift.abs).max()! < 1e-15 { break }
            var hessian = s
            for i in 0..<m { hessian[i * m + i] += target / (y[i] * y[i]) }
            guard let factor = try? Cholesky(symmetric: hessian, order: m) else { break }
            let direction = factor.solve(gradient).map { -$0 }
            var step = 1.0
            let current = objective(y)
            while step > 1e-12 {
                let candidate = zip(y, direction).map { $0 + step * $1 }
                if candidate.allSatisfy({ $0 > 0 }) && objective(candidate) <= current {
                    y = candidate
                    break
                }
                step /= 2
            }
            if step <= 1e-12 { break }
        }
        let total = y.reduce(0, +)
        return y.map { $0 / total }
    }
}
