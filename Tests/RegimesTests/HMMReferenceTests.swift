import Foundation
import RegimeFitting
import Regimes
import TestSupport
import Testing

/// Forward, Viterbi and posteriors for fixed parameters against hmmlearn 0.3.3, and a fit
/// that must reach hmmlearn's best of 10 restarts (`Fixtures/hmm-expected.json`, made by
/// `scripts/fixtures/make_hmm_fixtures.py`; conventions in Fixtures/README.md).
@Suite("Gaussian HMM against hmmlearn")
struct HMMReferenceTests {
    struct File: Decodable {
        struct Fixed: Decodable {
            struct Model: Decodable {
                struct Viterbi: Decodable {
                    let path: [Int]
                    let log_probability: Double
                }
                let covars: [[[Double]]]?
                let diagonal: [[Double]]?
                let log_likelihood: Double
                let viterbi: Viterbi
                let posteriors: [[Double]]
                let filtered: [[Double]]

                enum CodingKeys: String, CodingKey { case covars, log_likelihood, viterbi, posteriors, filtered }

                init(from decoder: any Decoder) throws {
                    let c = try decoder.container(keyedBy: CodingKeys.self)
                    covars = try? c.decode([[[Double]]].self, forKey: .covars)
                    diagonal = covars == nil ? try c.decode([[Double]].self, forKey: .covars) : nil
                    log_likelihood = try c.decode(Double.self, forKey: .log_likelihood)
                    viterbi = try c.decode(Viterbi.self, forKey: .viterbi)
                    posteriors = try c.decode([[Double]].self, forKey: .posteriors)
                    filtered = try c.decode([[Double]].self, forKey: .filtered)
                }
            }
            let startprob: [Double]
            let transmat: [[Double]]
            let means: [[Double]]
            let observations: [[Double]]
            let full: Model
            let diag: Model
        }
        struct Fit: Decodable {
            struct Hmmlearn: Decodable { let best_log_likelihood: Double }
            let observations: [[Double]]
            let hmmlearn: Hmmlearn
        }
        let fixed: Fixed
        let fit: Fit
    }

    static func load() throws -> File {
        try JSONDecoder().decode(File.self, from: Data(contentsOf: Fixtures.url("hmm-expected.json")))
    }

    static func model(_ fixed: File.Fixed, _ type: GaussianHMM.CovarianceType) -> GaussianHMM {
        let d = fixed.means[0].count
        let covariances: [Double]
        if type == .full {
            covariances = fixed.full.covars!.flatMap { $0.flatMap { $0 } }
        } else {
            covariances = fixed.diag.diagonal!.flatMap { v in (0..<d).flatMap { i in (0..<d).map { j in i == j ? v[i] : 0 } } }
        }
        return GaussianHMM(
            covarianceType: type, startProbabilities: fixed.startprob, transitions: fixed.transmat.flatMap { $0 },
            means: fixed.means.flatMap { $0 }, covariances: covariances)
    }

    @Test(
        "log-likelihood, filtered and smoothed probabilities, Viterbi path and log-probability",
        arguments: GaussianHMM.CovarianceType.allCases)
    func fixedParameters(_ type: GaussianHMM.CovarianceType) throws {
        let file = try Self.load()
        let fixed = file.fixed
        let expected = type == .full ? fixed.full : fixed.diag
        let model = Self.model(fixed, type)
        let x = fixed.observations
        #expect(Swift.abs(model.logLikelihood(x) - expected.log_likelihood) <= 1e-8 * Swift.abs(expected.log_likelihood))
        let filtered = model.filteredProbabilities(x)
        #expect(zip(filtered, expected.filtered).allSatisfy { zip($0, $1).allSatisfy { Swift.abs($0 - $1) < 1e-8 } })
        let smoothed = model.smoothedProbabilities(x)
        #expect(zip(smoothed, expected.posteriors).allSatisfy { zip($0, $1).allSatisfy { Swift.abs($0 - $1) < 1e-8 } })
        let viterbi = model.viterbi(x)
        #expect(viterbi.path == expected.viterbi.path)
        #expect(
            Swift.abs(viterbi.logProbability - expected.viterbi.log_probability) <= 1e-8
                * Swift.abs(expected.viterbi.log_probability))
    }

    @Test("a fit reaches at least hmmlearn's best log-likelihood over 10 restarts")
    func fitQuality() throws {
        let file = try Self.load()
        var options = GaussianHMM.FitOptions()
        options.restarts = 10
        let (_, logLikelihood, _) = GaussianHMM.fit(file.fit.observations, options: options)
        #expect(
            logLikelihood >= file.fit.hmmlearn.best_log_likelihood - 1e-6,
            "\(logLikelihood) vs hmmlearn \(file.fit.hmmlearn.best_log_likelihood)")
    }
}
