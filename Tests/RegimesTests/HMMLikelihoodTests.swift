import Foundation
import Regimes
import Testing

/// The scaled forward pass's log-likelihood (scales multiplied together, their exponent moved
/// out, tiny scales logged on their own) against a forward pass written in log space.
@Suite("HMM log-likelihood")
struct HMMLikelihoodTests {
    /// Two 1-dimensional states, means 0 and 20, variances 1 and 4, and switches of
    /// probability 1e-200: a jump to 20 is a step whose scale is far below 2^-100.
    static let model = GaussianHMM(
        covarianceType: .diag, startProbabilities: [1 - 1e-12, 1e-12],
        transitions: [1 - 1e-200, 1e-200, 1e-200, 1 - 1e-200], means: [0, 20], covariances: [1, 4])

    /// `log p(x_1..x_T)` by the log-space recursion, with log-sum-exp at each step.
    static func logSpaceLikelihood(_ model: GaussianHMM, _ x: [Double]) -> Double {
        let k = model.states
        func logDensity(_ value: Double, _ s: Int) -> Double {
            let variance = model.covariances[s]
            return -0.5
                * (Foundation.log(2 * Double.pi * variance) + (value - model.means[s]) * (value - model.means[s]) / variance)
        }
        func logSumExp(_ values: [Double]) -> Double {
            let peak = values.max()!
            return peak + Foundation.log(values.reduce(0) { $0 + Foundation.exp($1 - peak) })
        }
        var alpha = (0..<k).map { Foundation.log(model.startProbabilities[$0]) + logDensity(x[0], $0) }
        for value in x.dropFirst() {
            alpha = (0..<k).map { j in
                logSumExp((0..<k).map { alpha[$0] + Foundation.log(model.transitions[$0 * k + j]) }) + logDensity(value, j)
            }
        }
        return logSumExp(alpha)
    }

    /// Sequences: a jump to the improbable state (a scale below 2^-100), and 3,000 ordinary
    /// steps (the product of scales leaves [2^-900, 2^900] many times).
    static let sequences: [[Double]] = [
        [0.1, -0.3, 19.5, 20.2, 0.4],
        (0..<3000).map { Foundation.sin(Double($0) * 0.7) * 1.3 },
    ]

    @Test("equals the log-space recursion to 1e-12 relative", arguments: sequences)
    func matchesLogSpace(_ x: [Double]) {
        let scaled = Self.model.logLikelihood(x.map { [$0] })
        let reference = Self.logSpaceLikelihood(Self.model, x)
        #expect(Swift.abs(scaled - reference) <= 1e-12 * Swift.abs(reference), "scaled \(scaled), log space \(reference)")
    }

    @Test("a state 720 nats below the likeliest one still counts (its emission is subnormal, not 0)")
    func subnormalEmission() {
        // State 1 cannot start, so the first step's scale is state 0's emission relative to
        // state 1's: exp(-720), subnormal. Clamping it (or flushing it to 0) would be off by
        // nats (or give -infinity).
        let model = GaussianHMM(
            covarianceType: .diag, startProbabilities: [1, 0], transitions: [0.9, 0.1, 0.1, 0.9], means: [0, 60],
            covariances: [1, 1])
        let x: [Double] = [42, 41, 40]
        let scaled = model.logLikelihood(x.map { [$0] })
        let reference = Self.logSpaceLikelihood(model, x)
        #expect(
            scaled.isFinite && Swift.abs(scaled - reference) <= 1e-9 * Swift.abs(reference),
            "scaled \(scaled), log space \(reference)")
    }
}
