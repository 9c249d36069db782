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

    /// The same, flat `[T * K]`.
    package func emissionLogDensitiesFlat(_ observations: [[Double]]) -> [Double] {
        emissionLogDensities(flat: observations.flatMap { $0 }, count: observations.count)
    }

    /// The same from row-major observations `[T * D]` (what fitting keeps).
    ///
    /// With `Sigma_k = L_k L_k^T`, the quadratic form is `|L_k^-1 x - L_k^-1 mu_k|^2`. The
    /// inverse factors of all states, stacked `[K * D, D]`, take every observation to every
    /// state's whitened coordinates in one BLAS product `X [L_0^-1; ...; L_K-1^-1]^T`; what
    /// is left is a subtraction and a sum of squares per row. (Before: a forward
    /// substitution per observation and state, with D divisions each, was a quarter of a
    /// Baum-Welch round; issue 18.) The factors are of floored, positive definite
    /// covariances, so the explicit inverse loses nothing that matters next to the
    /// substitution (the fixtures against hmmlearn hold to the same tolerance).
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
        let constants = factors.map { -0.5 * (Double(d) * Foundation.log(2 * Double.pi) + $0.logDeterminant) }
        var inverses = [Double](repeating: 0, count: k * d * d)
        var whitenedMeans = [Double](repeating: 0, count: k * d)
        for (s, factor) in factors.enumerated() {
            let inverse = Self.lowerInverse(factor.lowerFactorRowMajor, order: d)
            inverses.replaceSubrange((s * d * d)..<((s + 1) * d * d), with: inverse)
            for i in 0..<d {
                whitenedMeans[s * d + i] = (0...i).reduce(0) { $0 + inverse[i * d + $1] * means[s * d + $1] }
            }
        }
        if covarianceType == .diag {
            return diagonalLogDensities(x, count: t, inverses: inverses, whitenedMeans: whitenedMeans, constants: constants)
        }
        var whitened = [Double](unsafeUninitializedCapacity: t * k * d) { _, count in count = t * k * d }
        x.withUnsafeBufferPointer { x in
            inverses.withUnsafeBufferPointer { inverses in
                whitened.withUnsafeMutableBufferPointer { whitened in
                    Double.gemm(
                        .none, .transposed, m: t, n: k * d, k: d, alpha: 1, a: x.baseAddress!, lda: d,
                        b: inverses.baseAddress!, ldb: d, beta: 0, c: whitened.baseAddress!, ldc: k * d)
                }
            }
        }
        var result = [Double](repeating: 0, count: t * k)
        whitened.withUnsafeBufferPointer { whitened in
            whitenedMeans.withUnsafeBufferPointer { centre in
                constants.withUnsafeBufferPointer { constants in
                    result.withUnsafeMutableBufferPointer { result in
                        for time in 0..<t {
                            for s in 0..<k {
                                let row = time * k + s
                                var quadratic = 0.0
                                for i in 0..<d {
                                    let y = whitened[row * d + i] - centre[s * d + i]
                                    quadratic += y * y
                                }
                                result[row] = constants[s] - 0.5 * quadratic
                            }
                        }
                    }
                }
            }
        }
        return result
    }

    /// The diagonal model's densities: the inverse factors are diagonal, so each whitened
    /// coordinate is one product (`x_i / sigma_i`), without the BLAS product of the full case.
    private func diagonalLogDensities(
        _ x: [Double], count t: Int, inverses: [Double], whitenedMeans: [Double], constants: [Double]
    ) -> [Double] {
        let (d, k) = (dimensions, states)
        let scales = (0..<(k * d)).map { inverses[($0 / d) * d * d + ($0 % d) * (d + 1)] }
        return [Double](unsafeUninitializedCapacity: t * k) { result, count in
            x.withUnsafeBufferPointer { x in
                scales.withUnsafeBufferPointer { scales in
                    whitenedMeans.withUnsafeBufferPointer { centre in
                        constants.withUnsafeBufferPointer { constants in
                            for time in 0..<t {
                                for s in 0..<k {
                                    var quadratic = 0.0
                                    for i in 0..<d {
                                        let y = x[time * d + i] * scales[s * d + i] - centre[s * d + i]
                                        quadratic += y * y
                                    }
                                    result[time * k + s] = constants[s] - 0.5 * quadratic
                                }
                            }
                        }
                    }
                }
            }
            count = t * k
        }
    }

    /// The inverse of a lower-triangular `[D, D]` row-major matrix (lower triangular too), by
    /// forward substitution on the columns of the identity.
    static func lowerInverse(_ lower: [Double], order d: Int) -> [Double] {
        var inverse = [Double](repeating: 0, count: d * d)
        for column in 0..<d {
            for i in column..<d {
                var value = i == column ? 1.0 : 0.0
                for j in column..<i { value -= lower[i * d + j] * inverse[j * d + column] }
                inverse[i * d + column] = value / lower[i * d + i]
            }
        }
        return inverse
    }

    static func regularised(_ sigma: [Double], _ d: Int) -> [Double] {
        var copy = sigma
        let scale = max((0..<d).map { sigma[$0 * d + $0] }.max() ?? 1, 1e-300)
        for i in 0..<d { copy[i * d + i] += 1e-9 * scale }
        return copy
    }

    /// The scaled forward pass over flat densities `[T * K]`: filtered probabilities
    /// `P(s_t | x_1..x_t)` (flat `[T * K]`), the log-likelihood, and the
    /// scaled emissions `exp(log b_j(x_t) - log c_t)` (flat `[T * K]`) that the backward pass
    /// and the expected transitions use (computed here from the same exponentials, so a
    /// Baum-Welch round takes T * K of them, not twice that). Row t uses observations up to
    /// t only.
    package func forward(_ densities: [Double], count t: Int) -> ForwardPass {
        let k = states
        var filtered = [Double](repeating: 0, count: t * k)
        // exp(log b_j(x_t) - max_i log b_i(x_t)) for every t and j, in two flat passes that
        // vectorise (the recursion below is sequential in t; its exponentials need not be).
        var peaks = [Double](repeating: 0, count: t)
        var scaledEmissions = densities
        scaledEmissions.withUnsafeMutableBufferPointer { emissions in
            for time in 0..<t {
                var peak = -Double.infinity
                for j in 0..<k { peak = max(peak, emissions[time * k + j]) }
                for j in 0..<k { emissions[time * k + j] -= peak }
                peaks[time] = peak
            }
            for index in emissions.indices { emissions[index] = Double.exponentOfNonPositive(emissions[index]) }
        }
        // log p(x_1..x_T) = sum_t (log c_t + peak_t): the c_t are multiplied together and their
        // product's binary exponent moved out whenever it leaves [2^-900, 2^900], so there is
        // one logarithm per fit instead of one per step (a tiny c_t, below 2^-100, is logged
        // on its own so the product never reaches the subnormals).
        var peakSum = 0.0
        var product = 1.0
        var exponents = 0
        var separateLogs = 0.0
        transitions.withUnsafeBufferPointer { transitions in
            filtered.withUnsafeMutableBufferPointer { filtered in
                scaledEmissions.withUnsafeMutableBufferPointer { emissions in
                    for time in 0..<t {
                        var scale = 0.0
                        for j in 0..<k {
                            var prior = 0.0
                            if time == 0 {
                                prior = startProbabilities[j]
                            } else {
                                for i in 0..<k { prior += filtered[(time - 1) * k + i] * transitions[i * k + j] }
                            }
                            let alpha = prior * emissions[time * k + j]
                            filtered[time * k + j] = alpha
                            scale += alpha
                        }
                        if scale >= 0x1p-1000 {
                            let reciprocal = 1 / scale
                            for j in 0..<k {
                                filtered[time * k + j] *= reciprocal
                                emissions[time * k + j] *= reciprocal
                            }
                        } else {
                            // A subnormal scale has no finite reciprocal.
                            for j in 0..<k {
                                filtered[time * k + j] /= scale
                                emissions[time * k + j] /= scale
                            }
                        }
                        peakSum += peaks[time]
                        if scale < 0x1p-100 {
                            separateLogs += Foundation.log(scale)
                        } else {
                            product *= scale
                            if product < 0x1p-900 || product > 0x1p900 {
                                exponents += Int(product.exponent)
                                product = product.significand
                            }
                        }
                    }
                }
            }
        }
        let logLikelihood = peakSum + (Foundation.log(product) + Double(exponents) * Foundation.log(2.0) + separateLogs)
        return ForwardPass(filtered: filtered, logLikelihood: logLikelihood, scaledEmissions: scaledEmissions)
    }

    /// What the scaled forward pass gives (see `forward(_:count:)`).
    package struct ForwardPass {
        /// `P(s_t | x_1..x_t)`, flat `[T * K]`.
        package let filtered: [Double]
        /// `log p(x_1..x_T)`.
        package let logLikelihood: Double
        /// `exp(log b_j(x_t) - log c_t)`, flat `[T * K]`.
        package let scaledEmissions: [Double]
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
        let pass = forward(emissionLogDensitiesFlat(observations), count: t)
        let beta = backward(scaledEmissions: pass.scaledEmissions, count: t)
        return (0..<t).map { time in
            let product = (0..<k).map { pass.filtered[time * k + $0] * beta[time * k + $0] }
            let total = product.reduce(0, +)
            return product.map { $0 / total }
        }
    }

    /// The scaled backward pass from the forward pass's `scaledEmissions`.
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
