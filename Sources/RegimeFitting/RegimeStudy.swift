import Features
import Foundation
import Market
import Regimes
import Support

/// The regime pipeline on a dataset: fit the HMM labeller on the training rows, label every
/// row (Viterbi), build the classifier's inputs from what is known at each row (normalised
/// market features, normalisation fitted on the training rows, and the HMM's filtered
/// probabilities), train the classifier to predict the label at t + h, and measure it on the
/// test rows against two naive forecasts: persistence (the filtered probabilities at t) and
/// the class prior of the training rows.
package struct RegimeStudy: Sendable {
    /// What to run.
    package struct Request: Sendable {
        package var hmm = GaussianHMM.FitOptions()
        package var classifier = RegimeClassifier.Settings()
        package var horizon = 1
        /// Fractions of the observation rows for training and validation (the rest tests).
        package var trainFraction = 0.6
        package var validationFraction = 0.2

        package init() {}
    }

    /// Test-range metrics of the classifier and the naive forecasts.
    package struct Outcome: Sendable, Codable {
        package let horizon: Int
        package let architecture: String
        package let trainRows: Int
        package let validationRows: Int
        package let testRows: Int
        package let classifier: ClassificationMetrics
        package let persistence: ClassificationMetrics
        /// The HMM's own h-step forecast `p_t A^h`, which the classifier corrects.
        package let hmmForecast: ClassificationMetrics
        package let prior: ClassificationMetrics
        /// The forecast the classifier corrects, chosen on validation log-loss:
        /// `persistence` (the filtered probabilities at t) or `hmm_forecast` (`p_t A^h`).
        package let base: String
        /// Whether the classifier's log-loss beats both naive forecasts.
        package let beatsNaive: Bool

        enum CodingKeys: String, CodingKey {
            case horizon, architecture, classifier, persistence, prior
            case hmmForecast = "hmm_forecast"
            case base
            case trainRows = "train_rows"
            case validationRows = "validation_rows"
            case testRows = "test_rows"
            case beatsNaive = "beats_naive"
        }
    }

    package let model: GaussianHMM
    package let classifierModel: RegimeClassifier
    package let normalisation: FeatureNormalisation
    package let outcome: Outcome

    /// Runs the pipeline: fits, trains and measures.
    /// - Throws: `RegimeObservations.Failure` when the dataset lacks the observations;
    ///   `HorizonTooLong` when the horizon leaves a part without a labelled row.
    package static func run(_ dataset: Dataset, _ request: Request) throws -> RegimeStudy {
        let observations = try RegimeObservations(dataset: dataset)
        let n = observations.values.count
        let trainEnd = Int(Double(n) * request.trainFraction)
        let validationEnd = Int(Double(n) * (request.trainFraction + request.validationFraction))
        let shortest = min(trainEnd, validationEnd - trainEnd, n - validationEnd)
        guard request.horizon < shortest else {
            throw HorizonTooLong(horizon: request.horizon, shortest: shortest, observations: n)
        }
        let (model, _, _) = GaussianHMM.fit(Array(observations.values[..<trainEnd]), options: request.hmm)
        let labels = model.viterbi(observations.values).path
        let filtered = model.filteredProbabilities(observations.values)
        let table = FeatureBuilder.compute(dataset)
        let normalisation = FeatureNormalisation(fitting: table, rows: 0..<(observations.rows[trainEnd - 1] + 1), clip: 5)
        let normalised = normalisation.applied(to: table)
        let features: [[Float]] = observations.rows.enumerated().map { index, row in
            (0..<table.marketFeatures.count).map { Float(normalised.marketValue(row: row, feature: $0) ?? 0) }
                + filtered[index].map(Float.init)
        }
        let h = request.horizon
        let targets = labels.indices.map { $0 + h < labels.count ? labels[$0 + h] : -1 }
        let trainRows = Array(0..<(trainEnd - h))
        let validationRows = Array(trainEnd..<(validationEnd - h))
        let testRows = Array(validationEnd..<(n - h))
        let forecast = filtered.map { model.forecast($0, steps: h) }
        // Start from whichever naive forecast validates better; the classifier corrects it.
        func validationLoss(_ p: [[Double]]) -> Double {
            ClassificationMetrics(
                probabilities: validationRows.map { row in p[row].map { max($0, 1e-6) } }.map { q in q.map { $0 / q.reduce(0, +) }
                },
                labels: validationRows.map { targets[$0] }
            ).logLoss
        }
        let persistenceIsBase = validationLoss(filtered) < validationLoss(forecast)
        let base = persistenceIsBase ? filtered : forecast
        let classifier = RegimeClassifier(inputs: features[0].count, classes: model.states, settings: request.classifier)
        classifier.train(features, targets: targets, trainRows: trainRows, validationRows: validationRows, base: base)
        let actual = testRows.map { targets[$0] }
        let learned = ClassificationMetrics(
            probabilities: classifier.probabilities(features, rows: testRows, base: base), labels: actual)
        let hmmForecast = ClassificationMetrics(
            probabilities: testRows.map { row in forecast[row].map { max($0, 1e-6) } }.map { p in p.map { $0 / p.reduce(0, +) } },
            labels: actual)
        let persistence = ClassificationMetrics(
            probabilities: testRows.map { row in filtered[row].map { max($0, 1e-6) } }.map { p in p.map { $0 / p.reduce(0, +) } },
            labels: actual)
        var prior = [Double](repeating: 0, count: model.states)
        for row in trainRows { prior[targets[row]] += 1 / Double(trainRows.count) }
        let priorMetrics = ClassificationMetrics(probabilities: testRows.map { _ in prior.map { max($0, 1e-6) } }, labels: actual)
        let outcome = Outcome(
            horizon: h, architecture: request.classifier.architecture.rawValue, trainRows: trainRows.count,
            validationRows: validationRows.count,
            testRows: testRows.count, classifier: learned, persistence: persistence, hmmForecast: hmmForecast,
            prior: priorMetrics, base: persistenceIsBase ? "persistence" : "hmm_forecast",
            beatsNaive: learned.logLoss < persistence.logLoss && learned.logLoss < priorMetrics.logLoss)
        return RegimeStudy(model: model, classifierModel: classifier, normalisation: normalisation, outcome: outcome)
    }
}

/// A horizon that leaves a part of the study (training, validation or test) without a
/// labelled row: the option does not fit the data (64).
package struct HorizonTooLong: ReportableError {
    package let horizon: Int
    /// Rows in the shortest of the three parts.
    package let shortest: Int
    package let observations: Int

    package var description: String {
        "--horizon \(horizon) leaves no labelled rows: the shortest of the training, validation and test parts of the \(observations) observations has \(shortest) rows; use a horizon below \(shortest)"
    }
    package var exitStatus: Int32 { ExitStatus.usage }
}
