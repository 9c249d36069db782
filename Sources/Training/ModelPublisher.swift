import Foundation
import Market
import ModelStore
import Policy
import Support

/// Publishes a training outcome as a new version in the registry.
package enum ModelPublisher {
    /// The new version's number. The manifest's config is the one the model was trained
    /// with (`Outcome.config`: after a nested selection, the chosen candidate); `fold` marks
    /// a fold model of a recipe (nil: an ordinary version).
    package static func publish(
        _ outcome: PolicyTrainer.Outcome, name: String, dataset: Dataset, dataDirectory: String, registry: ModelRegistry,
        fold: ModelManifest.Fold? = nil
    ) throws -> Int {
        let config = outcome.config
        let log = try outcome.history.map { try CanonicalJSON.encodeLine(TrainingLogLine($0)) }
        let files = try PolicyModel.files(outcome.allocator, trainingLog: log)
        let fingerprint = dataFingerprint(dataDirectory)
        let revision = codeRevision()
        let network = outcome.allocator.members[0]
        return try registry.publish(name: name, files: files) { version, checksums in
            var manifest = ModelManifest(
                name: name, version: version, createdAt: ISO8601DateFormatter().string(from: Date()), codeRevision: revision,
                dataFingerprint: fingerprint,
                train: .init(
                    from: dataset.dates[outcome.trainRows.lowerBound].description,
                    to: dataset.dates[outcome.trainRows.upperBound].description),
                validation: .init(
                    from: dataset.dates[outcome.validationRows.lowerBound].description,
                    to: dataset.dates[outcome.validationRows.upperBound].description),
                config: try JSONValue(encoding: config), featureSpec: config.features,
                network: .init(
                    scorerInputs: network.scorerInputs, cashInputs: network.cashInputs, hidden: config.hidden,
                    members: outcome.allocator.members.count, sleeves: config.sleeves.isEmpty ? nil : config.sleeves,
                    tilt: config.sleeves.isEmpty ? nil : config.tilt, budget: config.budget),
                metrics: [
                    "validation_sharpe": outcome.validationSharpe,
                    "equal_weight_validation_sharpe": outcome.equalWeightValidationSharpe,
                ],
                files: checksums)
            manifest.overlay = config.overlay
            manifest.fold = fold
            return try CanonicalJSON.encode(manifest)
        }
    }

    /// SHA-256 over the digests of the dataset files the reader loads, in name order.
    package static func dataFingerprint(_ directory: String) -> String {
        let names = DatasetReader.fileNames.sorted()
        let digests = names.compactMap { name -> String? in
            FileManager.default.contents(atPath: (directory as NSString).appendingPathComponent(name)).map {
                "\(name) \(SHA256.hex([UInt8]($0)))"
            }
        }
        return "sha256:" + SHA256.hex(Array(digests.joined(separator: "\n").utf8))
    }

    /// The git commit of the working directory (read from `.git`), or `unknown`.
    static func codeRevision() -> String {
        CodeRevision.find(from: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
    }
}
