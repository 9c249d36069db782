import Foundation
import Market
import Regimes

/// `regimen regimes fit`'s JSON (`regimen.regimes/v1`, contract section 2).
package struct RegimesFile: Encodable, Sendable {
    let schema = "regimen.regimes/v1"
    let states: Int
    let covarianceType: String
    let observations: [String]
    let nObservations: Int
    let logLikelihood: Double
    let logLikelihoodPerObservation: Double
    let startprob: [Double]
    let transmat: [[Double]]
    let means: [[Double]]
    let covars: [[[Double]]]
    let stateLabels: [String]
    let stateNames: [String]
    let expectedDurations: [Double]
    let dates: [String]
    let labels: [String]
    let filtered: [[Double]]

    enum CodingKeys: String, CodingKey {
        case schema, states, observations, startprob, transmat, means, covars, dates, labels, filtered
        case covarianceType = "covariance_type"
        case nObservations = "n_observations"
        case logLikelihood = "log_likelihood"
        case logLikelihoodPerObservation = "log_likelihood_per_observation"
        case stateLabels = "state_labels"
        case expectedDurations = "expected_durations"
        case stateNames = "state_names"
    }

    /// The file for a fitted model on `observations`: Viterbi labels (`r0` calmest) and the
    /// filtered probabilities of every row (what was knowable at each date).
    package init(model: GaussianHMM, logLikelihood: Double, observations: RegimeObservations, stateNames: [String]? = nil) {
        self.stateNames = stateNames ?? RegimeLabel.all(model.states).map(\.description)
        let k = model.states
        let d = model.dimensions
        states = k
        covarianceType = model.covarianceType.rawValue
        self.observations = observations.names
        nObservations = observations.values.count
        self.logLikelihood = logLikelihood
        logLikelihoodPerObservation = logLikelihood / Double(observations.values.count)
        startprob = model.startProbabilities
        transmat = (0..<k).map { Array(model.transitions[($0 * k)..<(($0 + 1) * k)]) }
        means = (0..<k).map { Array(model.means[($0 * d)..<(($0 + 1) * d)]) }
        covars = (0..<k).map { s in (0..<d).map { i in Array(model.covariances[((s * d + i) * d)..<((s * d + i + 1) * d)]) } }
        stateLabels = RegimeLabel.all(k).map(\.description)
        expectedDurations = (0..<k).map { 1 / max(1 - model.transitions[$0 * k + $0], 1e-12) }
        dates = observations.labels
        labels = model.viterbi(observations.values).path.map { RegimeLabel(state: $0).description }
        filtered = model.filteredProbabilities(observations.values)
    }
}
