import Foundation
import Market
import RegimeFitting
import Regimes
import TensorModule
import TestSupport
import Testing

@Suite("Regime classifier")
struct ClassifierTests {
    static let synthetic = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "../../data/synthetic"
    ).standardized

    @Test("on the synthetic default, the MLP classifier beats persistence and the prior on log-loss at h = 1")
    func beatsNaive() throws {
        let dataset = try DatasetReader.load(directory: Self.synthetic.path)
        var request = RegimeStudy.Request()
        request.hmm.restarts = 2
        let study = try RegimeStudy.run(dataset, request)
        let o = study.outcome
        #expect(
            o.beatsNaive, "classifier \(o.classifier.logLoss), persistence \(o.persistence.logLoss), prior \(o.prior.logLoss)")
        #expect(o.classifier.logLoss < o.persistence.logLoss && o.classifier.logLoss < o.prior.logLoss)
        #expect(o.testRows > 250)
    }

    @Test("a saved regime model loads back with identical weights and predictions")
    func saveAndLoad() throws {
        let dataset = try DatasetReader.load(directory: Self.synthetic.path)
        var request = RegimeStudy.Request()
        request.hmm.restarts = 1
        request.classifier.epochs = 5
        let study = try RegimeStudy.run(dataset, request)
        let directory = try Fixtures.temporaryDirectory()
        try RegimeModelFiles.write(study, to: directory)
        let (hmm, classifier, normalisation) = try RegimeModelFiles.read(from: directory)
        #expect(hmm == study.model)
        #expect(normalisation == study.normalisation)
        for (a, b) in zip(classifier.parameters, study.classifierModel.parameters) {
            #expect(a.name == b.name && a.value == b.value)
        }
        let inputs: [[Float]] = (0..<20).map { i in (0..<classifier.inputs).map { Float(($0 * 7 + i * 3) % 11) / 11 - 0.5 } }
        #expect(
            classifier.probabilities(inputs, rows: Array(0..<20))
                == study.classifierModel.probabilities(inputs, rows: Array(0..<20)))
    }

    @Test("classification metrics on a hand-checked case")
    func metrics() {
        let m = ClassificationMetrics(probabilities: [[0.8, 0.2], [0.4, 0.6], [0.7, 0.3], [0.1, 0.9]], labels: [0, 1, 1, 1])
        #expect(m.accuracy == 0.75)
        let balanced: Double = (1 + 2.0 / 3) / 2
        #expect(m.balancedAccuracy == balanced)
        let logs: [Double] = [log(0.8), log(0.6), log(0.3), log(0.9)]
        let logLoss: Double = -logs.reduce(0, +) / 4
        #expect(Swift.abs(m.logLoss - logLoss) < 1e-15)
        let brier: Double = (0.08 + 0.32 + 0.98 + 0.02) / 4
        #expect(Swift.abs(m.brier - brier) < 1e-15)
        #expect(m.confusion == [[1, 0], [1, 2]])
    }
}

/// The classifier corrects a base forecast: untrained it is the base, and training never
/// keeps parameters that validate worse than the base.
@Suite("Regime classifier as a correction")
struct ClassifierCorrectionTests {
    @Test("untrained, the classifier's probabilities are the base forecast's", arguments: RegimeClassifier.Architecture.allCases)
    func startsAtTheBase(_ architecture: RegimeClassifier.Architecture) {
        var settings = RegimeClassifier.Settings()
        settings.architecture = architecture
        settings.hidden = 6
        settings.window = 3
        let classifier = RegimeClassifier(inputs: 4, classes: 3, settings: settings)
        let features: [[Float]] = (0..<12).map { i in (0..<4).map { Float(($0 * 5 + i * 3) % 7) / 7 - 0.5 } }
        let base: [[Double]] = (0..<12).map { i in
            let raw = [1.0 + Double(i % 3), 2.0, 0.5 + Double(i % 2)]
            return raw.map { $0 / raw.reduce(0, +) }
        }
        let predicted = classifier.probabilities(features, rows: Array(0..<12), base: base)
        for (p, q) in zip(predicted, base) {
            #expect(zip(p, q).allSatisfy { Swift.abs($0 - $1) < 1e-6 }, "\(p) vs \(q)")
        }
        // Negative control: without the base, the untrained classifier is uniform, not the base.
        let uniform = classifier.probabilities(features, rows: [0], base: nil)[0]
        #expect(uniform.allSatisfy { Swift.abs($0 - 1.0 / 3) < 1e-6 } && uniform != base[0])
    }

    @Test("on the synthetic default the trained classifier does no worse on the test range than the forecast it corrects")
    func neverWorseOnValidation() throws {
        let dataset = try DatasetReader.load(directory: ClassifierTests.synthetic.path)
        var request = RegimeStudy.Request()
        request.hmm.restarts = 1
        request.classifier.epochs = 20
        let study = try RegimeStudy.run(dataset, request)
        let o = study.outcome
        let base = o.base == "persistence" ? o.persistence : o.hmmForecast
        #expect(o.classifier.logLoss <= base.logLoss + 1e-9, "classifier \(o.classifier.logLoss), base \(base.logLoss)")
    }
}
