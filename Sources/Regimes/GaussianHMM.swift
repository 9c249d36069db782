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
        covarianceType: CovarianceType, startProbabilities: [Double], transitions: [Double], means: [Double],
        covariances: [Double]
    ) {
        let k = startProbabilities.count
        let d = means.count / max(k, 1)
        precondition(
            k >= 1 && transitions.count == k * k && means.count == k * d && covariances.count == k * d * d,
            "GaussianHMM: parameter sizes do not match \(k) states of dimension \(d)")
        states = k
        dimensions = d
        self.covarianceType = covarianceType
        self.startProbabilities = startProbabilities
        self.transitions = transitions
        self.means = means
        self.covariances = covariances
    }

    /// The state probabilities `steps` periods after a state distribution `p`: `p A^steps`.
    package func forecast(_ p: [Double], steps: Int) -> [Double] {
        var current = p
        for _ in 0..<max(steps, 0) {
            current = (0..<states).map { j in (0..<states).reduce(0) { $0 + current[$1] * transitions[$1 * states + j] } }
        }
        return current
    }

    /// `log N(x_t | mu_k, Sigma_k)` for every t and k: `[T][K]`.
    package func emissionLogDensities(_ observations: [[Double]]) -> [[Double]] {
        let flat = emissionLogDensitiesFlat(observations)
        return (0..<observations.count).map { Array(flat[($0 * states)..<(($0 + 1) * states)]) }
    }

    /// The same, flat `[T * K]`: one forward substitution with each state's Cholesky factor
    /// per observation, into a reused buffer (the hot loop of fitting).
    package func emissionLogDensitiesFlat(_ observations: [[Double]]) -> [Double] {
        emissionLogDensities(flat: observations.flatMap { $0 }, count: observations.count)
    }

    /// The same from row-major observations `[T * D]` (what fitting keeps, so the hot loop
    /// reads contiguous memory).
    package func emissionLogDensities(flat x: [Double], count t: Int) -> [Double] {
        let d = dimensions
        let k = states
        let factors = (0..<k).map { s -> Cholesky in
            let sigma = Array(covariances[(s * d * d)..<((s + 1) * d * d)])
            // Cannot throw: a fitted model's covariances are floored positive definite, and a
            // loaded one is refused unless they are (`brokenRule`); a near-singular one that
            // rounding tips over is factored with a ridge of 1e-9 of its largest variance.
            return (try? Cholesky(symmetric: sigma, order: d)) ?? (try! Cholesky(symmetric: Self.regularised(sigma, d), order: d))
        }
        let lowers = factors.flatMap(\.lowerFactorRowMajor)
        let constants = factors.map { -0.5 * (Double(d) * Foundation.log(2 * Double.pi) + $0.logDeterminant) }
        var result = [Double](repeating: 0, count: t * k)
        var y = [Double](repeating: 0, count: d)
        x.withUnsafeBufferPointer { x in
            lowers.withUnsafeBufferPointer { lowers in
                means.withUnsafeBufferPointer { means in
                    y.withUnsafeMutableBufferPointer { y in
                        result.withUnsafeMutableBufferPointer { result in
                            for time in 0..<t {
                                for s in 0..<k {
                                    let l = lowers.baseAddress! + s * d * d
                                    var quadratic = 0.0
                                    for i in 0..<d {
                                        var value = x[time * d + i] - means[s * d + i]
                                        for j in 0..<i { value -= l[i * d + j] * y[j] }
                                        y[i] = value / l[i * d + i]
                                        quadratic += y[i] * y[i]
                                    }
                                    result[time * k + s] = constants[s] - 0.5 * quadratic
                                }
                            }
                        }
                    }
                }
            }
        }
        return result
    }

    static func regularised(_ sigma: [Double], _ d: Int) -> [Double] {
        var copy = sigma
        let scale = max((0..<d).map { sigma[$0 * d + $0] }.max() ?? 1, 1e-300)
        for i in 0..<d { copy[i * d + i] += 1e-9 * scale }
        return copy
    }

    /// The scaled forward pass over flat densities `[T * K]`: filtered probabilities
    /// `P(s_t | x_1..x_t)` (flat `[T * K]`), the log scales, and the log-likelihood. Row t
    /// uses observations up to t only.
    package func forward(_ densities: [Double], count t: Int) -> (filtered: [Double], logScales: [Double], logLikelihood: Double)
    {
        let k = states
        var filtered = [Double](repeating: 0, count: t * k)
        var logScales = [Double](repeating: 0, count: t)
        var total = 0.0
        densities.withUnsafeBufferPointer { densities in
            transitions.withUnsafeBufferPointer { transitions in
                filtered.withUnsafeMutableBufferPointer { filtered in
                    for time in 0..<t {
                        var peak = -Double.infinity
                        for j in 0..<k { peak = max(peak, densities[time * k + j]) }
                        var scale = 0.0
                        for j in 0..<k {
                            var prior = 0.0
                            if time == 0 {
                                prior = startProbabilities[j]
                            } else {
                                for i in 0..<k { prior += filtered[(time - 1) * k + i] * transitions[i * k + j] }
                            }
                            let alpha = prior * Foundation.exp(densities[time * k + j] - peak)
                            filtered[time * k + j] = alpha
                            scale += alpha
                        }
                        for j in 0..<k { filtered[time * k + j] /= scale }
                        logScales[time] = Foundation.log(scale) + peak
                        total += logScales[time]
                    }
                }
            }
        }
        return (filtered, logScales, total)
    }

    /// `[T][K]` rows of a flat `[T * K]` array.
    func rows(_ flat: [Double]) -> [[Double]] {
        (0..<(flat.count / states)).map { Array(flat[($0 * states)..<(($0 + 1) * states)]) }
    }

    /// Filtered probabilities `P(s_t | x_1..x_t)`: what was knowable at t.
    package func filteredProbabilities(_ observations: [[Double]]) -> [[Double]] {
        rows(forward(emissionLogDensitiesFlat(observations), count: observations.count).filtered)
    }

    /// The total log-likelihood `log p(x_1..x_T)` (natural log).
    package func logLikelihood(_ observations: [[Double]]) -> Double {
        forward(emissionLogDensitiesFlat(observations), count: observations.count).logLikelihood
    }

    /// Smoothed probabilities `P(s_t | x_1..x_T)` (for training labels and diagnostics only:
    /// they look at the future, LESSONS 2).
    package func smoothedProbabilities(_ observations: [[Double]]) -> [[Double]] {
        let t = observations.count
        let k = states
        let densities = emissionLogDensitiesFlat(observations)
        let (filtered, logScales, _) = forward(densities, count: t)
        let beta = backward(densities, count: t, logScales: logScales)
        return (0..<t).map { time in
            let product = (0..<k).map { filtered[time * k + $0] * beta[time * k + $0] }
            let total = product.reduce(0, +)
            return product.map { $0 / total }
        }
    }

    /// The scaled backward pass over flat densities, with the forward pass's scales (flat).
    package func backward(_ densities: [Double], count t: Int, logScales: [Double]) -> [Double] {
        backward(scaledEmissions: scaledEmissions(densities, count: t, logScales: logScales), count: t)
    }

    /// `exp(log b_j(x_t) - log c_t)` flat `[T * K]` (row 0 unused): the emission terms of the
    /// backward pass and of the expected transitions, which share them.
    package func scaledEmissions(_ densities: [Double], count t: Int, logScales: [Double]) -> [Double] {
        let k = states
        var emissions = [Double](repeating: 0, count: t * k)
        densities.withUnsafeBufferPointer { densities in
            emissions.withUnsafeMutableBufferPointer { emissions in
                for time in stride(from: 1, to: t, by: 1) {
                    let shift = logScales[time]
                    for j in 0..<k { emissions[time * k + j] = Foundation.exp(densities[time * k + j] - shift) }
                }
            }
        }
        return emissions
    }

    /// The scaled backward pass from `scaledEmissions`.
    package func backward(scaledEmissions: [Double], count t: Int) -> [Double] {
        let k = states
        var beta = [Double](repeating: 1, count: t * k)
        guard t > 1 else { return beta }
        var emission = [Double](repeating: 0, count: k)
        scaledEmissions.withUnsafeBufferPointer { scaled in
            transitions.withUnsafeBufferPointer { transitions in
                beta.withUnsafeMutableBufferPointer { beta in
                    for time in stride(from: t - 2, through: 0, by: -1) {
                        for j in 0..<k { emission[j] = scaled[(time + 1) * k + j] * beta[(time + 1) * k + j] }
                        for i in 0..<k {
                            var total = 0.0
                            for j in 0..<k { total += transitions[i * k + j] * emission[j] }
                            beta[time * k + i] = total
                        }
                    }
                }
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
            var next = [Double](repeating: -.infinity, count: states)
            var pointers = [Int](repeating: 0, count: states)
            for j in 0..<states {
                for i in 0..<states {
                    let candidate = delta[i] + logA[i * states + j]
                    if candidate > next[j] {
                        next[j] = candidate
                        pointers[j] = i
                    }
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
