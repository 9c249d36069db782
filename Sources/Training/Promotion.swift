import Foundation
import ModelStore
import Policy
import Support
import Tracking

/// What `regimen models promote NAME V --alias A [--mlflow URI]` does: points the alias at
/// the version in the local registry and, with an MLflow server, first registers the version
/// in MLflow's Model Registry with the alias on it (contract section 4).
package enum Promotion {
    /// A promotion refused before anything changed (64): the alias cannot be an MLflow alias.
    package struct Problem: ReportableError {
        package let description: String
        package var exitStatus: Int32 { ExitStatus.usage }
    }

    /// Refuses (64) a fold model (its manifest's `fold` marker): it was trained to serve one
    /// walk-forward test fold, not production. The manifest is read verified, so a fold model
    /// whose marker was edited away is refused as damaged (66); an unknown version is left to
    /// `promote`'s own refusal.
    static func refuseFoldModel(_ registry: ModelRegistry, name: String, version: Int) throws {
        guard registry.versions(of: name).contains(version) else { return }
        let data = try registry.manifestData(name, version)
        guard let fold = (try? JSONDecoder().decode(ModelManifest.self, from: data))?.fold else { return }
        throw Problem(
            description:
                "\(name):\(version) is a fold model (\(fold.label), trained by evaluate --configs), not a version trained for production; pass --allow-fold-model to promote it anyway"
        )
    }

    /// Promotes `name:version` to `alias` in `registry`; with `mlflow` (a checked http(s)
    /// URL and an experiment), registers it there first, so that a failing server leaves the
    /// local alias as it was and promoting again completes both.
    /// - Returns: the MLflow version the alias is on, and whether it was created now; nil
    ///   without `mlflow`.
    /// - Throws: `Problem` (64) for an alias MLflow would refuse, or for a fold model of
    ///   `evaluate --configs` without `allowFoldModel`; `ModelRegistry.Failure`
    ///   (66) for a missing or damaged version or alias file, before any call to MLflow;
    ///   `MLflowClient.Failure` (70).
    package static func run(
        _ registry: ModelRegistry, name: String, version: Int, alias: String, mlflow: TrainingJob.MLflowTarget?,
        allowFoldModel: Bool = false
    ) throws -> (mlflowVersion: String, created: Bool)? {
        if !allowFoldModel { try refuseFoldModel(registry, name: name, version: version) }
        guard let mlflow, let url = URL(string: mlflow.server) else {
            try registry.promote(name: name, version: version, alias: alias)
            return nil
        }
        if let reason = MLflowModelRegistry.aliasProblem(alias) {
            throw Problem(description: "--alias '\(alias)' cannot be registered with --mlflow: \(reason); nothing was changed")
        }
        let files = try verifiedVersion(registry, name: name, version: version)
        _ = try registry.aliases(of: name)
        let target = MLflowModelRegistry(
            client: MLflowClient(trackingURI: url), experiment: mlflow.experiment, codeRevision: CodeRevision.ofExecutable)
        let registered = try target.register(files, alias: alias)
        try registry.promote(name: name, version: version, alias: alias)
        return registered
    }

    /// The version's manifest and files, each checked as every load checks them (the digest
    /// recorded at publish, the manifest's checksums).
    static func verifiedVersion(_ registry: ModelRegistry, name: String, version: Int) throws -> MLflowModelRegistry.Version {
        guard let reference = ModelRegistry.Reference(parsing: "\(name):\(version)") else {
            throw Problem(description: "'\(name):\(version)' is not a model version (NAME:VERSION, \(ModelRegistry.nameRule))")
        }
        let (_, manifest) = try PolicyModel.load(reference, from: registry)
        let manifestData = try registry.manifestData(name, version)
        var files = try registry.verifiedFiles(name, version, checksums: manifest.files)
        files["manifest.json"] = manifestData
        return MLflowModelRegistry.Version(
            name: name, number: version, digest: SHA256.hex([UInt8](manifestData)), files: files)
    }
}
