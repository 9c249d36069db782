import Foundation
import LinearAlgebra
import Regimes
import Support

extension GaussianHMM {
    /// How Baum-Welch runs.
    package struct FitOptions: Sendable {
        package var states = 3
        package var covarianceType = CovarianceType.full
        package var restarts = 5
        package var maxIterations = 200
        /// Stop when the log-likelihood improves by less than this (absolute, per fit).
        package var tolerance = 1e-6
        /// Added to covariance diagonals, relative to each dimension's variance, so a state
        /// never collapses onto a few points.
        package var covarianceFloor = 1e-6
        package var seed: UInt64 = 7
        /// Run exactly `maxIterations` (no early stop): for benchmarks.
        package var fixedIterations = false

        package init() {}
    }

    /// The best of `restarts` Baum-Welch fits from k-means++ starts, states ordered by the
    /// variance of the first dimension (calmest first). Restarts run in parallel (each draws
    /// from its own generator, split in restart order, and ties go to the earlier restart), so
    /// the result is the same as one after another.
    /// - Precondition: at least `2 * states` observations of one dimension count.
    package static func fit(_ observations: [[Double]], options: FitOptions) -> (
        model: GaussianHMM, logLikelihood: Double, iterations: Int
    ) {
        let k = options.states
        let d = observations[0].count
        precondition(
            observations.count >= 2 * k && observations.allSatisfy { $0.count == d },
            "GaussianHMM.fit: need at least \(2 * k) rows of equal width")
        var generator = SeededGenerator(seed: options.seed)
        let variance = (0..<d).map { j -> Double in
            let column = observations.map { $0[j] }
            let mean = column.reduce(0, +) / Double(column.count)
            return column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(column.count)
        }
        let floor = variance.map { max($0, 1e-300) * options.covarianceFloor }
        let flat = observations.flatMap { $0 }
        let generators = (0..<max(options.restarts, 1)).map { _ in generator.split() }
        // One BLAS thread per restart while they run side by side (a long series' products
        // would otherwise each start OpenBLAS's threads: restarts x threads on the cores).
        let fits = BLASThreads.singleThreaded {
            Parallel.map(generators.count, width: generators.count) { restart in
                var restartGenerator = generators[restart]
                var model = initial(observations, k: k, type: options.covarianceType, floor: floor, using: &restartGenerator)
                var previous = -Double.infinity
                var iterations = 0
                for iteration in 0..<options.maxIterations {
                    let (updated, logLikelihood) = model.expectationMaximisation(flat, count: observations.count, floor: floor)
                    iterations = iteration + 1
                    if !options.fixedIterations && logLikelihood - previous < options.tolerance && iteration > 0 {
                        previous = max(previous, logLikelihood)
                        break
                    }
                    previous = logLikelihood
                    model = updated
                }
                let score = model.forward(
                    model.emissionLogDensities(flat: flat, count: observations.count), count: observations.count
                )
                .logLikelihood
                return (model: model, logLikelihood: score, iterations: iterations)
            }
        }
        var best = fits[0]
        for fit in fits.dropFirst() where fit.logLikelihood > best.logLikelihood { best = fit }
        return (best.model.orderedByVolatility(), best.logLikelihood, best.iterations)
    }

    /// k-means++ seeds and a few Lloyd steps give the means; each cluster's covariance (with
    /// the floor) the covariances; uniform start and transition probabilities.
    static func initial(_ x: [[Double]], k: Int, type: CovarianceType, floor: [Double], using g: inout SeededGenerator)
        -> GaussianHMM
    {
        let d = x[0].count
        func distance(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) / 1 } }
        let scaled = x.map { row in zip(row, floor).map { $0 / $1.squareRoot() } }
        var centres = [scaled[Int(g.next() % UInt64(x.count))]]
        while centres.count < k {
            let weights = scaled.map { p in centres.map { distance(p, $0) }.min()! }
            let total = weights.reduce(0, +)
            var target = g.nextUnitInterval() * total
            var chosen = scaled.count - 1
            for (i, w) in weights.enumerated() {
                target -= w
                if target <= 0 {
                    chosen = i
                    break
                }
            }
            centres.append(scaled[chosen])
        }
        var assignment = [Int](repeating: 0, count: x.count)
        for _ in 0..<10 {
            assignment = scaled.map { p in centres.indices.min { distance(p, centres[$0]) < distance(p, centres[$1]) }! }
            for c in 0..<k {
                let members = scaled.indices.filter { assignment[$0] == c }
                if !members.isEmpty {
                    centres[c] = (0..<d).map { j in members.reduce(0) { $0 + scaled[$1][j] } / Double(members.count) }
                }
            }
        }
        var means: [Double] = []
        var covariances: [Double] = []
        for c in 0..<k {
            var members = x.indices.filter { assignment[$0] == c }
            if members.count < 2 { members = Array(x.indices) }
            let mu = (0..<d).map { j in members.reduce(0) { $0 + x[$1][j] } / Double(members.count) }
            means += mu
            for i in 0..<d {
                for j in 0..<d {
                    var value = members.reduce(0) { $0 + (x[$1][i] - mu[i]) * (x[$1][j] - mu[j]) } / Double(members.count)
                    if type == .diag && i != j { value = 0 }
                    if i == j { value += floor[i] }
                    covariances.append(value)
                }
            }
        }
        return GaussianHMM(
            covarianceType: type, startProbabilities: Array(repeating: 1 / Double(k), count: k),
            transitions: Array(repeating: 1 / Double(k), count: k * k), means: means, covariances: covariances)
    }

    /// One Baum-Welch step on row-major observations `x` `[T * D]`: the re-estimated model
    /// and the log-likelihood of the current one.
    ///
    /// The sums over time are BLAS products (as scalar loops over K = 3 and D = 4 they were
    /// most of a round): the expected transitions `xi = A .* (F^T E)` with `F` the filtered
    /// probabilities of steps 0..T-2 and `E` the scaled emissions times `beta` of steps
    /// 1..T-1; the means `Gamma^T X`; each state's covariance
    /// `(gamma_s .* (X - mu_s))^T (X - mu_s)`, centred first (two passes, as scikit-learn's
    /// Gaussian mixture does, rather than hmmlearn's raw second moments, which cancel).
    func expectationMaximisation(_ x: [Double], count t: Int, floor: [Double]) -> (GaussianHMM, Double) {
        let pass = forward(emissionLogDensities(flat: x, count: t), count: t)
        let (gamma, xi) = posteriors(pass, beta: backward(scaledEmissions: pass.scaledEmissions, count: t), count: t)
        var model = self
        model.reestimateChain(gamma: gamma, expectedTransitions: xi)
        model.reestimateEmissions(x, gamma: gamma, count: t, floor: floor)
        return (model, pass.logLikelihood)
    }

    /// The E step: the state posteriors `gamma` `[T * K]` and the expected transitions `xi`
    /// `[K * K]` (summed over time, times this model's transition matrix).
    private func posteriors(_ pass: ForwardPass, beta: [Double], count t: Int) -> (gamma: [Double], xi: [Double]) {
        let k = states
        var gamma = [Double](unsafeUninitializedCapacity: t * k) { _, count in count = t * k }
        var weighted = [Double](unsafeUninitializedCapacity: t * k) { _, count in count = t * k }
        var xi = [Double](repeating: 0, count: k * k)
        pass.filtered.withUnsafeBufferPointer { filtered in
            beta.withUnsafeBufferPointer { beta in
                pass.scaledEmissions.withUnsafeBufferPointer { scaled in
                    gamma.withUnsafeMutableBufferPointer { gamma in
                        weighted.withUnsafeMutableBufferPointer { weighted in
                            for time in 0..<t {
                                var total = 0.0
                                for s in 0..<k {
                                    let row = time * k + s
                                    gamma[row] = filtered[row] * beta[row]
                                    total += gamma[row]
                                    weighted[row] = scaled[row] * beta[row]
                                }
                                for s in 0..<k { gamma[time * k + s] /= total }
                            }
                        }
                    }
                    guard t > 1 else { return }
                    xi.withUnsafeMutableBufferPointer { xi in
                        weighted.withUnsafeBufferPointer { weighted in
                            Double.gemm(
                                .transposed, .none, m: k, n: k, k: t - 1, alpha: 1, a: filtered.baseAddress!, lda: k,
                                b: weighted.baseAddress! + k, ldb: k, beta: 0, c: xi.baseAddress!, ldc: k)
                        }
                    }
                }
            }
        }
        for index in 0..<(k * k) { xi[index] *= transitions[index] }
        return (gamma, xi)
    }

    /// The M step of the chain: start probabilities from the first posterior, each row of the
    /// transition matrix from the expected transitions (uniform for a state never left).
    private mutating func reestimateChain(gamma: [Double], expectedTransitions xi: [Double]) {
        let k = states
        startProbabilities = (0..<k).map { max(gamma[$0], 1e-300) }
        for i in 0..<k {
            let total = (0..<k).reduce(0) { $0 + xi[i * k + $1] }
            for j in 0..<k { transitions[i * k + j] = total > 0 ? max(xi[i * k + j] / total, 1e-300) : 1 / Double(k) }
        }
    }

    /// The M step of the emissions: each state's mean and covariance (diagonal models keep the
    /// diagonal), plus `floor` on the diagonal; a state with no weight keeps its own.
    private mutating func reestimateEmissions(_ x: [Double], gamma: [Double], count t: Int, floor: [Double]) {
        let (k, d) = (states, dimensions)
        // Compared once: `==` on an enum of another module is a call, not inlined.
        let full = covarianceType == .full
        // Weights and weighted sums of the observations per state: [K] and Gamma^T X [K, D].
        var weights = [Double](repeating: 0, count: k)
        for time in 0..<t {
            for s in 0..<k { weights[s] += gamma[time * k + s] }
        }
        var sums = [Double](repeating: 0, count: k * d)
        x.withUnsafeBufferPointer { x in
            gamma.withUnsafeBufferPointer { gamma in
                sums.withUnsafeMutableBufferPointer { sums in
                    Double.gemm(
                        .transposed, .none, m: k, n: d, k: t, alpha: 1, a: gamma.baseAddress!, lda: k,
                        b: x.baseAddress!, ldb: d, beta: 0, c: sums.baseAddress!, ldc: d)
                }
            }
        }
        var centred = [Double](unsafeUninitializedCapacity: t * d) { _, count in count = t * d }
        var scaledCentred = [Double](unsafeUninitializedCapacity: t * d) { _, count in count = t * d }
        var sigma = [Double](repeating: 0, count: d * d)
        for s in 0..<k where weights[s] > 1e-12 {
            let mu = (0..<d).map { sums[s * d + $0] / weights[s] }
            means.replaceSubrange((s * d)..<((s + 1) * d), with: mu)
            x.withUnsafeBufferPointer { x in
                gamma.withUnsafeBufferPointer { gamma in
                    centred.withUnsafeMutableBufferPointer { centred in
                        scaledCentred.withUnsafeMutableBufferPointer { scaledCentred in
                            for time in 0..<t {
                                let g = gamma[time * k + s]
                                for j in 0..<d {
                                    let value = x[time * d + j] - mu[j]
                                    centred[time * d + j] = value
                                    scaledCentred[time * d + j] = g * value
                                }
                            }
                            sigma.withUnsafeMutableBufferPointer { sigma in
                                // Diagonal models too: a product is faster than D strided sums.
                                Double.gemm(
                                    .transposed, .none, m: d, n: d, k: t, alpha: 1, a: scaledCentred.baseAddress!,
                                    lda: d, b: centred.baseAddress!, ldb: d, beta: 0, c: sigma.baseAddress!, ldc: d)
                            }
                        }
                    }
                }
            }
            for i in 0..<d {
                for j in i..<d {
                    let value = (full || i == j ? sigma[i * d + j] : 0) / weights[s] + (i == j ? floor[i] : 0)
                    covariances[(s * d + i) * d + j] = value
                    covariances[(s * d + j) * d + i] = value
                }
            }
        }
    }

    /// The same model with states sorted by the variance of the first dimension (ascending),
    /// so label `r0` is the calmest in every refit and version.
    package func orderedByVolatility() -> GaussianHMM {
        let d = dimensions
        let order = (0..<states).sorted { covariances[$0 * d * d] < covariances[$1 * d * d] }
        return GaussianHMM(
            covarianceType: covarianceType, startProbabilities: order.map { startProbabilities[$0] },
            transitions: order.flatMap { i in order.map { j in transitions[i * states + j] } },
            means: order.flatMap { Array(means[($0 * d)..<(($0 + 1) * d)]) },
            covariances: order.flatMap { Array(covariances[($0 * d * d)..<(($0 + 1) * d * d)]) })
    }
}
