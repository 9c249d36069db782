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
