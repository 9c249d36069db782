import ArgumentParser
import Foundation
import RegimeFitting
import Regimes
import Support

/// `regimen-bench hmm`: Baum-Welch iterations of a full-covariance Gaussian HMM on data
/// drawn from a fixed random model (compare with `scripts/bench/hmm_bench.py`, hmmlearn).
struct HMMWorkload: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hmm", abstract: "Seconds to fit a Gaussian HMM for a fixed number of Baum-Welch iterations.")

    @Option(help: "Observations.") var periods: Int = 5000
    @Option(help: "Dimensions.") var dims: Int = 4
    @Option(help: "States.") var states: Int = 3
    @Option(help: "Baum-Welch iterations (all run: no early stop).") var iters: Int = 100
    @Option(help: "Restarts per fit (run in parallel, up to the cores).") var restarts: Int = 1
    @Option(help: "Covariance: full or diag.") var covariance: String = "full"
    @OptionGroup var common: CommonOptions

    func validate() throws {
        guard periods >= 10, dims >= 1, states >= 1, iters >= 1, restarts >= 1 else {
            throw ValidationError("all sizes must be positive")
        }
        guard GaussianHMM.CovarianceType(rawValue: covariance) != nil else {
            throw ValidationError("--covariance must be full or diag, got '\(covariance)'")
        }
    }

    func run() {
        common.apply()
        var g = SeededGenerator(seed: 7)
        // A persistent chain over well-separated Gaussian states.
        var state = 0
        let observations: [[Double]] = (0..<periods).map { _ in
            if g.nextUnitInterval() > 0.95 { state = Int(g.next() % UInt64(states)) }
            return (0..<dims).map { j in
                Double(state) * (j % 2 == 0 ? 1.5 : -1) + (1 + Double(state) * 0.5) * g.nextStandardNormal()
            }
        }
        var options = GaussianHMM.FitOptions()
        options.states = states
        options.restarts = restarts
        options.maxIterations = iters
        options.fixedIterations = true
        options.covarianceType = GaussianHMM.CovarianceType(rawValue: covariance)!
        var logLikelihood = 0.0
        let measurement = Measurement.time(repeats: common.repeats, steps: 1) {
            logLikelihood = GaussianHMM.fit(observations, options: options).logLikelihood
        }
        var line = measurement.fields(flopsPerStep: nil)
        line["workload"] = "hmm"
        line["params"] =
            [
                "periods": periods, "dims": dims, "states": states, "iters": iters, "restarts": restarts,
                "covariance": covariance,
            ] as [String: Any]
        line["threads"] = common.threads
        line["per_second"] = Double(iters * restarts) / measurement.median
        line["log_likelihood"] = logLikelihood
        printJSONLine(line)
    }
}
