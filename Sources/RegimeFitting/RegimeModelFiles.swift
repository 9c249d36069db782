import Features
import Foundation
import ModelStore
import Regimes
import Support

/// A saved regime model: `regime.json` (the HMM, the classifier's settings and sizes, the
/// feature normalisation) and `classifier.safetensors` (its weights, readable by Python's
/// safetensors). Both are written atomically.
package enum RegimeModelFiles {
    struct Description: Codable {
        var schema = "regimen.regime-model/v1"
        let hmm: GaussianHMM
        let classifier: RegimeClassifier.Settings
        let inputs: Int
        let classes: Int
        let normalisation: FeatureNormalisation
    }

    /// Writes the study's models into `directory` (created if needed).
    package static func write(_ study: RegimeStudy, to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let description = Description(
            hmm: study.model, classifier: study.classifierModel.settings, inputs: study.classifierModel.inputs,
            classes: study.classifierModel.classes, normalisation: study.normalisation)
        try AtomicFile.write(try CanonicalJSON.encode(description), to: directory.appendingPathComponent("regime.json"))
        try SafeTensorsFile(parameters: study.classifierModel.parameters, metadata: ["schema": "regimen.regime-model/v1"])
            .write(to: directory.appendingPathComponent("classifier.safetensors"))
    }

    /// Reads a saved model: the HMM, a classifier with its weights, the normalisation.
    /// - Throws: a missing or unreadable file, malformed JSON, a model that breaks a rule
    ///   (`InputFile.Problem` naming it), or a `SafeTensorsError` naming the tensor.
    package static func read(from directory: URL) throws -> (
        hmm: GaussianHMM, classifier: RegimeClassifier, normalisation: FeatureNormalisation
    ) {
        let path = directory.appendingPathComponent("regime.json").path
        let description = try JSONDecoder().decode(Description.self, from: InputFile.data(path, limit: InputFile.settingsLimit))
        let broken =
            description.hmm.brokenRule ?? description.normalisation.brokenRule
            ?? ((1...4096).contains(description.inputs) && (2...GaussianHMM.maximumStates).contains(description.classes)
                && (1...4096).contains(description.classifier.hidden) && (1...1000).contains(description.classifier.window)
                ? nil : "classifier sizes out of range")
        if let broken { throw InputFile.Problem(file: path, rule: broken, isMissing: false) }
        let classifier = RegimeClassifier(
            inputs: description.inputs, classes: description.classes, settings: description.classifier)
        let weights = directory.appendingPathComponent("classifier.safetensors")
        try SafeTensorsFile(contentsOf: weights).load(into: classifier.parameters, source: weights.path)
        return (description.hmm, classifier, description.normalisation)
    }
}
