import Foundation
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
        let fits = Parallel.map(generators.count, width: generators.count) { restart in
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
    func expectationMaximisation(_ x: [Double], count t: Int, floor: [Double]) -> (GaussianHMM, Double) {
        let k = states
        let d = dimensions
        // Compared once: `==` on an enum of another module is a call, not inlined, and the
        // covariance loop below would make it 4 * T * D^2 times per step.
        let full = covarianceType == .full
        let densities = emissionLogDensities(flat: x, count: t)
        let (filtered, logScales, logLikelihood) = forward(densities, count: t)
        // One exponential per observation and state, shared by the backward pass and xi.
        let scaled = scaledEmissions(densities, count: t, logScales: logScales)
        let beta = backward(scaledEmissions: scaled, count: t)
        var gamma = [Double](repeating: 0, count: t * k)
        var xi = [Double](repeating: 0, count: k * k)
        var emission = [Double](repeating: 0, count: k)
        var model = self
        filtered.withUnsafeBufferPointer { filtered in
            beta.withUnsafeBufferPointer { beta in
                scaled.withUnsafeBufferPointer { scaled in
                    transitions.withUnsafeBufferPointer { transitions in
                        gamma.withUnsafeMutableBufferPointer { gamma in
                            for time in 0..<t {
                                var total = 0.0
                                for s in 0..<k {
                                    gamma[time * k + s] = filtered[time * k + s] * beta[time * k + s]
                                    total += gamma[time * k + s]
                                }
                                for s in 0..<k { gamma[time * k + s] /= total }
                            }
                        }
                        for time in 0..<(t - 1) {
                            for j in 0..<k { emission[j] = scaled[(time + 1) * k + j] * beta[(time + 1) * k + j] }
                            for i in 0..<k {
                                let a = filtered[time * k + i]
                                for j in 0..<k { xi[i * k + j] += a * transitions[i * k + j] * emission[j] }
                            }
                        }
                    }
                }
            }
        }
        model.startProbabilities = (0..<k).map { max(gamma[$0], 1e-300) }
        for i in 0..<k {
            let total = (0..<k).reduce(0) { $0 + xi[i * k + $1] }
            for j in 0..<k { model.transitions[i * k + j] = total > 0 ? max(xi[i * k + j] / total, 1e-300) : 1 / Double(k) }
        }
        // Scratch for one state's sums; unsafe so the hot loops keep no bounds checks and
        // the accumulation order (time by time, as before) is unchanged.
        let mu = UnsafeMutableBufferPointer<Double>.allocate(capacity: d)
        let sigma = UnsafeMutableBufferPointer<Double>.allocate(capacity: d * d)
        defer {
            mu.deallocate()
            sigma.deallocate()
        }
        x.withUnsafeBufferPointer { x in
            gamma.withUnsafeBufferPointer { gamma in
                for s in 0..<k {
                    var weight = 0.0
                    mu.initialize(repeating: 0)
                    for time in 0..<t {
                        let g = gamma[time * k + s]
                        weight += g
                        for j in 0..<d { mu[j] += g * x[time * d + j] }
                    }
                    guard weight > 1e-12 else { continue }
                    for j in 0..<d {
                        mu[j] /= weight
                        model.means[s * d + j] = mu[j]
                    }
                    sigma.initialize(repeating: 0)
                    for time in 0..<t {
                        let g = gamma[time * k + s]
                        let row = x.baseAddress! + time * d
                        if full {
                            for i in 0..<d {
                                let ci = g * (row[i] - mu[i])
                                for j in i..<d { sigma[i * d + j] += ci * (row[j] - mu[j]) }
                            }
                        } else {
                            for i in 0..<d { sigma[i * d + i] += g * (row[i] - mu[i]) * (row[i] - mu[i]) }
                        }
                    }
                    for i in 0..<d {
                        for j in i..<d {
                            let value = sigma[i * d + j] / weight + (i == j ? floor[i] : 0)
                            model.covariances[(s * d + i) * d + j] = value
                            model.covariances[(s * d + j) * d + i] = value
                        }
                    }
                }
            }
        }
        return (model, logLikelihood)
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
