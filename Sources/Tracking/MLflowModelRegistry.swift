import Foundation
import Support

/// Registers Regimen model versions in MLflow's Model Registry through its REST API
/// (`regimen models promote --mlflow`): the registered model of the Regimen name, a model
/// version whose source is a run holding the version's files as artifacts (`model/...`), and
/// an alias on it. Idempotent: the MLflow version is found by the Regimen version's digest
/// (tag `regimen.digest`), so promoting again adds no version, and setting an alias that is
/// on another version moves it.
package struct MLflowModelRegistry {
    /// A Regimen version to register: its name, number, digest (sha256 of its manifest) and
    /// files (file name -> bytes, the manifest among them).
    package struct Version: Sendable {
        package let name: String
        package let number: Int
        package let digest: String
        package let files: [String: Data]

        package init(name: String, number: Int, digest: String, files: [String: Data]) {
            self.name = name
            self.number = number
            self.digest = digest
            self.files = files
        }
    }

    package let client: MLflowClient
    /// The experiment of the runs that hold the versions' files.
    package let experiment: String
    package let codeRevision: String

    package init(client: MLflowClient, experiment: String, codeRevision: String) {
        self.client = client
        self.experiment = experiment
        self.codeRevision = codeRevision
    }

    /// Why MLflow would refuse `alias` as a model alias, or nil: MLflow takes letters, digits,
    /// `_` and `-`, and reserves `latest` and `v` followed by digits (its version aliases).
    package static func aliasProblem(_ alias: String) -> String? {
        if alias.contains(where: { !($0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-")) }) {
            return "MLflow aliases hold only letters, digits, _ and -"
        }
        if alias.lowercased() == "latest" { return "MLflow reserves 'latest'" }
        if alias.count > 1, alias.first == "v" || alias.first == "V", alias.dropFirst().allSatisfy(\.isNumber) {
            return "MLflow reserves v followed by digits for its version numbers"
        }
        return nil
    }

    /// Registers `version` (once) and points `alias` at its MLflow version.
    /// - Returns: the MLflow version number and whether it was created now.
    package func register(_ version: Version, alias: String) throws(MLflowClient.Failure) -> (
        mlflowVersion: String, created: Bool
    ) {
        try ensureModel(version.name)
        let found = try existing(version)
        let mlflowVersion: String
        if let found { mlflowVersion = found } else { mlflowVersion = try create(version) }
        _ = try client.call(
            "mlflow/registered-models/alias",
            body: .object(["name": .string(version.name), "alias": .string(alias), "version": .string(mlflowVersion)]))
        return (mlflowVersion, found == nil)
    }

    /// Creates the registered model `name` unless it exists.
    func ensureModel(_ name: String) throws(MLflowClient.Failure) {
        guard try client.call("mlflow/registered-models/get", query: ["name": name]) == nil else { return }
        _ = try client.call(
            "mlflow/registered-models/create",
            body: .object([
                "name": .string(name), "tags": MLflowClient.pairs(["regimen.model": name]),
                "description": .string("Regimen model \(name), registered by regimen models promote --mlflow"),
            ]))
    }

    /// The MLflow version of the registered model tagged with the version's digest, if any.
    func existing(_ version: Version) throws(MLflowClient.Failure) -> String? {
        let answer = try client.call(
            "mlflow/model-versions/search",
            query: ["filter": "name='\(version.name)' and tags.`regimen.digest` = '\(version.digest)'"])
        guard case .array(let versions)? = answer?["model_versions"], case .object(let first)? = versions.first,
            case .string(let number)? = first["version"]
        else { return nil }
        return number
    }

    /// Uploads the version's files to a new run and creates the MLflow version from them.
    func create(_ version: Version) throws(MLflowClient.Failure) -> String {
        let tags = [
            "regimen.model": version.name, "regimen.version": String(version.number), "regimen.digest": version.digest,
        ]
        let run = try client.createRun(
            experimentID: try client.experimentID(named: experiment), name: "\(version.name):\(version.number)",
            tags: tags.merging(["regimen.kind": "model", "regimen.code_revision": codeRevision]) { $1 })
        for (file, data) in version.files.sorted(by: { $0.key < $1.key }) {
            try client.upload(data, artifactURI: run.artifactURI, name: "model/\(file)")
        }
        try client.finish(runID: run.id, failed: false)
        let answer = try client.call(
            "mlflow/model-versions/create",
            body: .object([
                "name": .string(version.name), "source": .string(run.artifactURI + "/model"), "run_id": .string(run.id),
                "tags": MLflowClient.pairs(tags), "description": .string("Regimen \(version.name):\(version.number)"),
            ]))
        guard case .object(let created)? = answer?["model_version"], case .string(let number)? = created["version"] else {
            throw MLflowClient.Failure(description: "MLflow did not create a version of \(version.name)")
        }
        return number
    }
}
