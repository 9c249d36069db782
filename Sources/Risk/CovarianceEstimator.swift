import Foundation
import LinearAlgebra

/// Covariance estimators, as values (skfolio's estimators-as-values): each maps a window of
/// returns `[n, m]` (n periods, m assets) to a `CovarianceEstimate`, per period.
package enum CovarianceEstimator: String, Sendable, CaseIterable {
    /// Demeaned, divided by n - 1.
    case sample
    /// RiskMetrics EWMA, lambda 0.94, zero mean, finite window with normalised weights
    /// `w_k = (1 - lambda) lambda^k / (1 - lambda^n)`, k = 0 the newest row.
    case ewma
    /// Ledoit and Wolf (2004) shrinkage toward `(trace(S) / m) I`, with S the demeaned
    /// covariance divided by n: scikit-learn's `LedoitWolf`.
    case ledoitWolf = "ledoit-wolf"

    /// The estimate from `returns[t][i]` (rows oldest first).
    /// - Precondition: at least 2 rows, all of width m >= 1, finite.
    package func estimate(_ returns: [[Double]]) -> CovarianceEstimate {
        let n = returns.count
        let m = returns.first?.count ?? 0
        precondition(n >= 2 && m >= 1 && returns.allSatisfy { $0.count == m }, "covariance: need at least 2 rows of equal width")
        let matrix: [Double]
        switch self {
        case .sample: matrix = Self.centredProducts(returns, divisor: Double(n - 1))
        case .ewma: matrix = Self.ewma(returns, lambda: 0.94)
        case .ledoitWolf: matrix = Self.ledoitWolf(returns)
        }
        return CovarianceEstimate(matrix: matrix, order: m, estimator: self)
    }

    /// `sum_t (r_t - mean)(r_t - mean)^T / divisor`.
    static func centredProducts(_ returns: [[Double]], divisor: Double) -> [Double] {
        let n = returns.count
        let m = returns[0].count
        let means = (0..<m).map { i in returns.reduce(0) { $0 + $1[i] } / Double(n) }
        var matrix = [Double](repeating: 0, count: m * m)
        for i in 0..<m {
            for j in i..<m {
                var total = 0.0
                for row in returns { total += (row[i] - means[i]) * (row[j] - means[j]) }
                matrix[i * m + j] = total / divisor
                matrix[j * m + i] = total / divisor
            }
        }
        return matrix
    }

    static func ewma(_ returns: [[Double]], lambda: Double) -> [Double] {
        let n = returns.count
        let m = returns[0].count
        var lambdaToN = 1.0
        for _ in 0..<n { lambdaToN *= lambda }
        var matrix = [Double](repeating: 0, count: m * m)
        var power = 1.0
        for k in 0..<n {
            let row = returns[n - 1 - k]
            let w = (1 - lambda) * power / (1 - lambdaToN)
            for i in 0..<m {
                for j in 0..<m { matrix[i * m + j] += w * row[i] * row[j] }
            }
            power *= lambda
        }
        return matrix
    }

    /// scikit-learn's `ledoit_wolf_shrinkage` on the centred data, then
    /// `(1 - delta) S + delta mu I`.
    static func ledoitWolf(_ returns: [[Double]]) -> [Double] {
        let m = returns[0].count
        let s = centredProducts(returns, divisor: Double(returns.count))
        return shrunk(s, order: m, intensity: ledoitWolfIntensity(returns, centred: s))
    }

    /// `(1 - delta) S + delta (trace(S) / m) I`.
    static func shrunk(_ s: [Double], order m: Int, intensity delta: Double) -> [Double] {
        let mu = (0..<m).reduce(0) { $0 + s[$1 * m + $1] } / Double(m)
        var result = s.map { (1 - delta) * $0 }
        for i in 0..<m { result[i * m + i] += delta * mu }
        return result
    }

    /// Ledoit and Wolf's shrinkage intensity of the window (scikit-learn's
    /// `ledoit_wolf_shrinkage`, `assume_centered=False`), in [0, 1].
    /// - Parameter s: the demeaned covariance divided by n, when already computed.
    package static func ledoitWolfIntensity(_ returns: [[Double]], centred s: [Double]? = nil) -> Double {
        let n = Double(returns.count)
        let m = returns[0].count
        let means = (0..<m).map { i in returns.reduce(0) { $0 + $1[i] } / n }
        let x = returns.map { row in (0..<m).map { row[$0] - means[$0] } }
        let s = s ?? centredProducts(returns, divisor: n)
        let trace = (0..<m).reduce(0) { $0 + s[$1 * m + $1] }
        let mu = trace / Double(m)
        var deltaSum = 0.0
        var betaSum = 0.0
        for i in 0..<m {
            for j in 0..<m {
                var xx = 0.0
                var x2x2 = 0.0
                for row in x {
                    xx += row[i] * row[j]
                    x2x2 += row[i] * row[i] * row[j] * row[j]
                }
                deltaSum += xx * xx
                betaSum += x2x2
            }
        }
        deltaSum /= n * n
        var beta = 1 / (Double(m) * n) * (betaSum / n - deltaSum)
        var delta = deltaSum - 2 * mu * trace + Double(m) * mu * mu
        delta /= Double(m)
        beta = min(beta, delta)
        return beta == 0 ? 0 : beta / delta
    }

    /// The policy core's covariance: the EWMA covariance of the window (zero mean, decay
    /// `lambda = 0.5^(1 / halfLife)`, weights normalised over the finite window as for `ewma`)
    /// shrunk toward its scaled identity with Ledoit and Wolf's intensity of the same window:
    /// `(1 - delta) E + delta (trace(E) / m) I`. EWMA follows volatility quickly; the
    /// shrinkage keeps it well conditioned when the window is short against the assets.
    /// - Precondition: at least 2 rows of equal width, finite; `halfLife > 0`.
    package static func shrunkEWMA(_ returns: [[Double]], halfLife: Double) -> (matrix: [Double], intensity: Double) {
        let m = returns[0].count
        let intensity = ledoitWolfIntensity(returns)
        let lambda = Foundation.pow(0.5, 1 / halfLife)
        return (shrunk(ewma(returns, lambda: lambda), order: m, intensity: intensity), intensity)
    }
}

/// A covariance matrix with its condition number, repaired to positive semi-definite when
/// rounding left it indefinite.
package struct CovarianceEstimate: Sendable {
    /// Row-major `[m, m]`, per period.
    package let matrix: [Double]
    /// m.
    package let order: Int
    /// The estimator that made it.
    package let estimator: CovarianceEstimator
    /// `max eigenvalue / min eigenvalue` of the (repaired) matrix.
    package let conditionNumber: Double
    /// Whether negative eigenvalues were floored (PSD repair).
    package let wasRepaired: Bool

    /// Condition numbers above this are reported as near singular.
    package static let nearSingularThreshold = 1e8

    init(matrix: [Double], order: Int, estimator: CovarianceEstimator) {
        let eigen = SymmetricEigen(symmetric: matrix, order: order)
        let largest = eigen.values.last ?? 0
        // Eigenvalue floor: rounding can leave tiny negative eigenvalues; lift them to a
        // small positive floor relative to the largest so factorisations succeed.
        let floor = max(largest, 0) * 1e-15
        if let smallest = eigen.values.first, smallest < 0 {
            self.matrix = eigen.rebuilt { max($0, floor) }
            self.wasRepaired = true
            self.conditionNumber = SymmetricEigen(symmetric: self.matrix, order: order).conditionNumber
        } else {
            self.matrix = matrix
            self.wasRepaired = false
            self.conditionNumber = eigen.conditionNumber
        }
        self.order = order
        self.estimator = estimator
    }

    /// A warning for a person when the matrix is near singular or was repaired, else nil.
    package var warning: String? {
        if wasRepaired {
            return
                "covariance (\(estimator.rawValue)) was not positive semi-definite; negative eigenvalues were floored (condition number \(conditionNumber))"
        }
        if conditionNumber > Self.nearSingularThreshold {
            return
                "covariance (\(estimator.rawValue)) is near singular: condition number \(conditionNumber); results that invert it are unstable"
        }
        return nil
    }

    /// `w^T Sigma w`.
    package func variance(of weights: [Double]) -> Double {
        var total = 0.0
        for i in 0..<order {
            for j in 0..<order { total += weights[i] * matrix[i * order + j] * weights[j] }
        }
        return total
    }
}
