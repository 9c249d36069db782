import Foundation
import LinearAlgebra

/// A hidden Markov model with Gaussian emissions (full or diagonal covariance), the regime
/// labeller. Shapes: T observations of D dimensions, K states.
///
/// Parameters are plain row-major arrays: `startProbabilities` `[K]`, `transitions` `[K, K]`
/// (row i: from state i), `means` `[K, D]`, `covariances` `[K, D, D]` (diagonal models keep
/// zeros off the diagonal). All recursions run in the scaled form (each step normalised,
/// log-likelihood = sum of log scales), so long sequences never underflow (LESSONS 12).
package struct GaussianHMM: Sendable, Codable, Equatable {
    /// The covariance structure of each state's emission.
    package enum CovarianceType: String, Sendable, Codable, CaseIterable {
        case full, diag
    }

    package let states: Int
    package let dimensions: Int
    package let covarianceType: CovarianceType
    package var startProbabilities: [Double]
    package var transitions: [Double]
    package var means: [Double]
    package var covariances: [Double]

    /// A model from parameters.
    /// - Precondition: sizes match `states` and `dimensions`.
    package init(
        covarianceType: CovarianceType, startProbabilities: [Double], transitions: [Double], means: [Double], covariances: [Double]
    ) {
        let k = startProbabilities.count, d = means.count / max(k, 1)
        precondition(k >= 1 && transitions.count == k * k && means.count == k * d && covariances.count == k * d * d,
                     "GaussianHMM: parameter sizes do not match \(k) states of dimension \(d)")
        states = k
        dimensions = d
        self.covarianceType = covarianceType
        self.startProbabilities = startProbabilities
        self.transitions = transitions
        self.means = means
        self.covariances = covariances
    }

    /// `log N(x_t | mu_k, Sigma_k)` for every t and k: `[T][K]`.
    package func emissionLogDensities(_ observations: [[Double]]) -> [[Double]] {
        let d = dimensions
        let factors = (0..<states).map { k -> Cholesky in
            let sigma = Array(covariances[(k * d * d)..<((k + 1) * d * d)])
            return (try? Cholesky(symmetric: sigma, order: d)) ?? (try! Cholesky(symmetric: Self.regularised(sigma, d), order: d))
        }
        let constant = Double(d) * Foundation.log(2 * Double.pi)
        let logDeterminants = factors.map(\.logDeterminant)
        return observations.map { x in
            (0..<states).map { k in
                let centred = (0..<d).map { x[$0] - means[k * d + $0] }
                return -0.5 * (constant + logDeterminants[k] + factors[k].inverseQuadraticForm(centred))
            }
        }
    }

    static func regularised(_ sigma: [Double], _ d: Int) -> [Double] {
        var copy = sigma
        let scale = max((0..<d).map { sigma[$0 * d + $0] }.max() ?? 1, 1e-300)
        for i in 0..<d { copy[i * d + i] += 1e-9 * scale }
        return copy
    }

    /// The scaled forward pass: filtered probabilities `P(s_t | x_1..x_t)` `[T][K]`, the
    /// log scales, and the total log-likelihood. Row t uses observations up to t only.
    package func forward(_ logDensities: [[Double]]) -> (filtered: [[Double]], logScales: [Double], logLikelihood: Double) {
        var filtered: [[Double]] = []
        filtered.reserveCapacity(logDensities.count)
        var logScales: [Double] = []
        var previous = startProbabilities
        for (t, row) in logDensities.enumerated() {
            let peak = row.max()!
            var alpha = [Double](repeating: 0, count: states)
            for j in 0..<states {
                let prior = t == 0 ? startProbabilities[j] : (0..<states).reduce(0) { $0 + previous[$1] * transitions[$1 * states + j] }
                alpha[j] = prior * Foundation.exp(row[j] - peak)
            }
            let scale = alpha.reduce(0, +)
            alpha = alpha.map { $0 / scale }
            logScales.append(Foundation.log(scale) + peak)
            filtered.append(alpha)
            previous = alpha
        }
        return (filtered, logScales, logScales.reduce(0, +))
    }

    /// Filtered probabilities `P(s_t | x_1..x_t)`: what was knowable at t.
    package func filteredProbabilities(_ observations: [[Double]]) -> [[Double]] {
        forward(emissionLogDensities(observations)).filtered
    }

    /// The total log-likelihood `log p(x_1..x_T)` (natural log).
    package func logLikelihood(_ observations: [[Double]]) -> Double {
        forward(emissionLogDensities(observations)).logLikelihood
    }

    /// Smoothed probabilities `P(s_t | x_1..x_T)` (for training labels and diagnostics only:
    /// they look at the future, LESSONS 2).
    package func smoothedProbabilities(_ observations: [[Double]]) -> [[Double]] {
        let densities = emissionLogDensities(observations)
        let (filtered, logScales, _) = forward(densities)
        let beta = backward(densities, logScales: logScales)
        return zip(filtered, beta).map { a, b in
            let product = zip(a, b).map { $0 * $1 }
            let total = product.reduce(0, +)
            return product.map { $0 / total }
        }
    }

    /// The scaled backward pass, with the forward pass's scales.
    func backward(_ logDensities: [[Double]], logScales: [Double]) -> [[Double]] {
        let t = logDensities.count
        var beta = [[Double]](repeating: [Double](repeating: 1, count: states), count: t)
        guard t > 1 else { return beta }
        for time in stride(from: t - 2, through: 0, by: -1) {
            let next = logDensities[time + 1]
            let shift = logScales[time + 1]
            for i in 0..<states {
                var total = 0.0
                for j in 0..<states { total += transitions[i * states + j] * Foundation.exp(next[j] - shift) * beta[time + 1][j] }
                beta[time][i] = total
            }
        }
        return beta
    }

    /// The most likely state path (Viterbi, in log space) and its log-probability.
    package func viterbi(_ observations: [[Double]]) -> (path: [Int], logProbability: Double) {
        let densities = emissionLogDensities(observations)
        let logA = transitions.map { Foundation.log($0) }
        var delta = (0..<states).map { Foundation.log(startProbabilities[$0]) + densities[0][$0] }
        var back: [[Int]] = []
        for row in densities.dropFirst() {
            var next = [Double](repeating: -.infinity, count: states), pointers = [Int](repeating: 0, count: states)
            for j in 0..<states {
                for i in 0..<states {
                    let candidate = delta[i] + logA[i * states + j]
                    if candidate > next[j] { next[j] = candidate; pointers[j] = i }
                }
                next[j] += row[j]
            }
            back.append(pointers)
            delta = next
        }
        var state = delta.indices.max { delta[$0] < delta[$1] }!
        let best = delta[state]
        var path = [state]
        for pointers in back.reversed() {
            state = pointers[state]
            path.append(state)
        }
        return (path.reversed(), best)
    }
}
