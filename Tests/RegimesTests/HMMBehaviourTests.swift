import Foundation
import Market
import RegimeFitting
import Regimes
import Support
import TestSupport
import Testing

@Suite("Gaussian HMM behaviour")
struct HMMBehaviourTests {
    /// A known 3-state model in 2 dimensions (states ordered by the first variance).
    static let truth = GaussianHMM(
        covarianceType: .full, startProbabilities: [0.6, 0.3, 0.1],
        transitions: [0.95, 0.04, 0.01, 0.05, 0.9, 0.05, 0.02, 0.08, 0.9],
        means: [0.5, 0.0, -0.5, 1.0, 0.0, -2.0],
        covariances: [0.2, 0.05, 0.05, 0.3, 1.0, -0.3, -0.3, 0.8, 4.0, 1.0, 1.0, 2.0])

    static func simulate(_ model: GaussianHMM, count: Int, seed: UInt64) -> (path: [Int], observations: [[Double]]) {
        var g = SeededGenerator(seed: seed)
        let k = model.states
        let d = model.dimensions
        func draw(_ probabilities: ArraySlice<Double>) -> Int {
            var u = g.nextUnitInterval()
            for (i, p) in probabilities.enumerated() {
                u -= p
                if u <= 0 { return i }
            }
            return probabilities.count - 1
        }
        var state = draw(model.startProbabilities[...])
        var path: [Int] = []
        var observations: [[Double]] = []
        for _ in 0..<count {
            path.append(state)
            // x = mu + L z with L the Cholesky factor of the state's 2x2 covariance.
            let c = Array(model.covariances[(state * d * d)..<((state + 1) * d * d)])
            let l11 = c[0].squareRoot()
            let l21 = c[2] / l11
            let l22 = (c[3] - l21 * l21).squareRoot()
            let z1 = g.nextStandardNormal()
            let z2 = g.nextStandardNormal()
            observations.append([model.means[state * d] + l11 * z1, model.means[state * d + 1] + l21 * z1 + l22 * z2])
            state = draw(model.transitions[(state * k)..<((state + 1) * k)])
        }
        return (path, observations)
    }

    @Test("recovers the parameters and the path of data simulated from a 3-state model")
    func recovery() {
        let (path, x) = Self.simulate(Self.truth, count: 3000, seed: 11)
        var options = GaussianHMM.FitOptions()
        options.restarts = 3
        let (model, _, _) = GaussianHMM.fit(x, options: options)
        for (a, b) in zip(model.means, Self.truth.means) { #expect(Swift.abs(a - b) < 0.15, "means \(model.means)") }
        for s in 0..<3 { #expect(Swift.abs(model.transitions[s * 3 + s] - Self.truth.transitions[s * 3 + s]) < 0.05) }
        for (a, b) in zip(model.covariances, Self.truth.covariances) {
            #expect(Swift.abs(a - b) < 0.25 * Swift.max(1, Swift.abs(b)))
        }
        let decoded = model.viterbi(x).path
        let accuracy = Double(zip(decoded, path).filter { $0 == $1 }.count) / Double(path.count)
        #expect(accuracy > 0.9, "accuracy \(accuracy)")
        #expect(model.logLikelihood(x) >= Self.truth.logLikelihood(x))
    }

    @Test("filtered probabilities at t do not change when data after t changes")
    func noLookAhead() {
        let (_, x) = Self.simulate(Self.truth, count: 400, seed: 12)
        var changed = x
        for t in 250..<400 { changed[t] = [changed[t][0] * -3 + 5, 7] }
        changed.append(contentsOf: [[100, 100], [-50, 3]])
        let original = Self.truth.filteredProbabilities(x)
        let after = Self.truth.filteredProbabilities(changed)
        #expect(Array(original[..<250]) == Array(after[..<250]))
        #expect(original[300] != after[300])
        // Smoothed probabilities, by contrast, do look ahead.
        #expect(Array(Self.truth.smoothedProbabilities(x)[..<250]) != Array(Self.truth.smoothedProbabilities(changed)[..<250]))
    }

    @Test("the same seed gives the same fit; states come out ordered by volatility")
    func deterministicAndOrdered() {
        let (_, x) = Self.simulate(Self.truth, count: 600, seed: 13)
        var options = GaussianHMM.FitOptions()
        options.restarts = 2
        let a = GaussianHMM.fit(x, options: options).model
        let b = GaussianHMM.fit(x, options: options).model
        #expect(a == b)
        let variances = (0..<3).map { a.covariances[$0 * 4] }
        #expect(variances == variances.sorted())
    }

    @Test("on the synthetic default the labeller recovers the true regimes (best label matching)")
    func syntheticDefault() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../data/synthetic")
            .standardized
        let dataset = try DatasetReader.load(directory: root.path)
        let observations = try RegimeObservations(dataset: dataset)
        var options = GaussianHMM.FitOptions()
        options.restarts = 3
        let (model, _, _) = GaussianHMM.fit(observations.values, options: options)
        let truth = try String(contentsOf: root.appendingPathComponent("regimes.csv"), encoding: .utf8)
            .split(separator: "\n").dropFirst().map { Int($0.split(separator: ",")[1].dropFirst())! }
        let decoded = model.viterbi(observations.values).path
        let actual = observations.rows.map { truth[$0] }
        let permutations = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]]
        let accuracy = permutations.map { p in Double(zip(decoded, actual).filter { p[$0] == $1 }.count) / Double(actual.count) }
            .max()!
        #expect(accuracy >= 0.8, "accuracy \(accuracy)")
    }
}
