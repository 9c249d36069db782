import Foundation
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
    /// variance of the first dimension (calmest first).
    /// - Precondition: at least `2 * states` observations of one dimension count.
    package static func fit(_ observations: [[Double]], options: FitOptions) -> (model: GaussianHMM, logLikelihood: Double, iterations: Int) {
        let k = options.states, d = observations[0].count
        precondition(observations.count >= 2 * k && observations.allSatisfy { $0.count == d }, "GaussianHMM.fit: need at least \(2 * k) rows of equal width")
        var generator = SeededGenerator(seed: options.seed)
        let variance = (0..<d).map { j -> Double in
            let column = observations.map { $0[j] }
            let mean = column.reduce(0, +) / Double(column.count)
            return column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(column.count)
        }
        let floor = variance.map { max($0, 1e-300) * options.covarianceFloor }
        var best: (model: GaussianHMM, logLikelihood: Double, iterations: Int)?
        for _ in 0..<max(options.restarts, 1) {
            var restartGenerator = generator.split()
            var model = initial(observations, k: k, type: options.covarianceType, floor: floor, using: &restartGenerator)
            var previous = -Double.infinity, iterations = 0
            for iteration in 0..<options.maxIterations {
                let (updated, logLikelihood) = model.expectationMaximisation(observations, floor: floor)
                iterations = iteration + 1
                if !options.fixedIterations && logLikelihood - previous < options.tolerance && iteration > 0 {
                    previous = max(previous, logLikelihood)
                    break
                }
                previous = logLikelihood
                model = updated
            }
            let score = model.logLikelihood(observations)
            if best == nil || score > best!.logLikelihood { best = (model, score, iterations) }
        }
        return (best!.model.orderedByVolatility(), best!.logLikelihood, best!.iterations)
    }

    /// k-means++ seeds and a few Lloyd steps give the means; each cluster's covariance (with
    /// the floor) the covariances; uniform start and transition probabilities.
    static func initial(_ x: [[Double]], k: Int, type: CovarianceType, floor: [Double], using g: inout SeededGenerator) -> GaussianHMM {
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
                if target <= 0 { chosen = i; break }
            }
            centres.append(scaled[chosen])
        }
        var assignment = [Int](repeating: 0, count: x.count)
        for _ in 0..<10 {
            assignment = scaled.map { p in centres.indices.min { distance(p, centres[$0]) < distance(p, centres[$1]) }! }
            for c in 0..<k {
                let members = scaled.indices.filter { assignment[$0] == c }
                if !members.isEmpty { centres[c] = (0..<d).map { j in members.reduce(0) { $0 + scaled[$1][j] } / Double(members.count) } }
            }
        }
        var means: [Double] = [], covariances: [Double] = []
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

    /// One Baum-Welch step: the re-estimated model and the log-likelihood of the current one.
    func expectationMaximisation(_ x: [[Double]], floor: [Double]) -> (GaussianHMM, Double) {
        let densities = emissionLogDensities(x)
        let (filtered, logScales, logLikelihood) = forward(densities)
        let beta = backward(densities, logScales: logScales)
        let t = x.count, k = states, d = dimensions
        var gamma = [[Double]](repeating: [Double](repeating: 0, count: k), count: t)
        for time in 0..<t {
            let product = zip(filtered[time], beta[time]).map { $0 * $1 }
            let total = product.reduce(0, +)
            gamma[time] = product.map { $0 / total }
        }
        var xi = [Double](repeating: 0, count: k * k)
        for time in 0..<(t - 1) {
            let next = densities[time + 1], shift = logScales[time + 1]
            for i in 0..<k {
                for j in 0..<k {
                    xi[i * k + j] += filtered[time][i] * transitions[i * k + j] * Foundation.exp(next[j] - shift) * beta[time + 1][j]
                }
            }
        }
        var model = self
        model.startProbabilities = gamma[0].map { max($0, 1e-300) }
        for i in 0..<k {
            let row = (0..<k).map { xi[i * k + $0] }
            let total = row.reduce(0, +)
            for j in 0..<k { model.transitions[i * k + j] = total > 0 ? max(row[j] / total, 1e-300) : 1 / Double(k) }
        }
        for s in 0..<k {
            let weight = gamma.reduce(0) { $0 + $1[s] }
            guard weight > 1e-12 else { continue }
            let mu = (0..<d).map { j in (0..<t).reduce(0) { $0 + gamma[$1][s] * x[$1][j] } / weight }
            for j in 0..<d { model.means[s * d + j] = mu[j] }
            for i in 0..<d {
                for j in 0..<d {
                    var value = 0.0
                    if covarianceType == .full || i == j {
                        for time in 0..<t { value += gamma[time][s] * (x[time][i] - mu[i]) * (x[time][j] - mu[j]) }
                        value /= weight
                    }
                    if i == j { value += floor[i] }
                    model.covariances[(s * d + i) * d + j] = value
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
