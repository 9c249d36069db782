import Features
import Foundation
import ModelStore
import Options
import Regimes
import Support

/// A policy version in the registry: `policy.safetensors` (every ensemble member's weights),
/// `regime.json` (the HMM), `normalisation.json`, `training-log.jsonl` and the manifest.
package enum PolicyModel {
    /// The files of a version (the manifest is added by the registry at publish time).
    package static func files(_ allocator: PolicyAllocator, trainingLog: [String]) throws -> [String: Data] {
        var files: [String: Data] = [
            "policy.safetensors": SafeTensorsFile(parameters: allocator.parameters, metadata: ["schema": "regimen.model/v1"])
                .encoded(),
            "normalisation.json": try CanonicalJSON.encode(allocator.normalisation),
            "training-log.jsonl": Data((trainingLog.joined(separator: "\n") + "\n").utf8),
        ]
        if let regime = allocator.regimeModel { files["regime.json"] = try CanonicalJSON.encode(regime) }
        return files
    }

    /// Loads `reference` from `registry`: checks every checksum, rebuilds the ensemble's
    /// networks and loads their weights.
    /// - Throws: `ModelRegistry.Failure`: missing, or damaged (any file that does not read,
    ///   or disagrees with the manifest or another file), both 66.
    package static func load(_ reference: ModelRegistry.Reference, from registry: ModelRegistry) throws -> (
        allocator: PolicyAllocator, manifest: ModelManifest
    ) {
        let version = try registry.resolve(reference)
        let folder = registry.directory(reference.name, version)
        /// Every flaw of a version's files is the same refusal: the version is damaged (66).
        func damaged(_ file: String, _ why: String) -> ModelRegistry.Failure {
            ModelRegistry.Failure(
                description: "\(folder.path)/\(file): \(why); version \(reference.name):\(version) is damaged", isMissing: true)
        }
        let manifestData = try registry.manifestData(reference.name, version)
        guard let manifest = try? JSONDecoder().decode(ModelManifest.self, from: manifestData) else {
            throw damaged("manifest.json", "not a regimen.model/v1 manifest")
        }
        if let problem = manifest.featureSpec.problems.first { throw damaged("manifest.json", "feature_spec: \(problem)") }
        for required in ["policy.safetensors", "normalisation.json"] where manifest.files[required] == nil {
            throw damaged("manifest.json", "lists no \(required)")
        }
        let files = try registry.verifiedFiles(reference.name, version, checksums: manifest.files)
        let regime = try files["regime.json"].map { data in
            guard let model = try? JSONDecoder().decode(GaussianHMM.self, from: data) else {
                throw damaged("regime.json", "not a regime model")
            }
            if let rule = model.brokenRule { throw damaged("regime.json", rule) }
            return model
        }
        guard let normalisation = try? JSONDecoder().decode(FeatureNormalisation.self, from: files["normalisation.json"]!) else {
            throw damaged("normalisation.json", "not a feature normalisation")
        }
        if let rule = normalisation.brokenRule { throw damaged("normalisation.json", rule) }
        let stored: SafeTensorsFile
        let weights = folder.appendingPathComponent("policy.safetensors").path
        do { stored = try SafeTensorsFile(decoding: files["policy.safetensors"]!, source: weights) } catch {
            throw ModelRegistry.Failure(
                description: "\(error.description); version \(reference.name):\(version) is damaged", isMissing: true)
        }
        // The manifest's network must account for exactly the stored values before any
        // network is built from it: a tampered shape must not allocate beyond the file.
        let shape = manifest.network
        guard let count = shape.parameterCount, count == stored.tensors.values.reduce(0, { $0 + $1.elementCount }) else {
            throw damaged(
                "manifest.json", "network \(shape.members) x \(shape.hidden) does not match the tensors of policy.safetensors")
        }
        let members = (0..<shape.members).map { k in
            PolicyNetwork<Float>(
                scorerInputs: shape.scorerInputs, cashInputs: shape.cashInputs, hidden: shape.hidden, seed: 0,
                name: PolicyNetwork<Float>.memberName(k), sleeves: shape.sleeves?.count ?? 0, tilt: shape.tilt ?? 0,
                budget: shape.budget)
        }
        do { try stored.load(into: members.flatMap(\.parameters), source: weights) } catch {
            throw ModelRegistry.Failure(
                description: "\(error.description); version \(reference.name):\(version) is damaged", isMissing: true)
        }
        var allocator = PolicyAllocator(
            name: reference.name, version: version, members: members, normalisation: normalisation, regimeModel: regime,
            spec: manifest.featureSpec, sleeves: shape.sleeves ?? [])
        if let problem = manifest.overlay?.problems.first { throw damaged("manifest.json", problem) }
        allocator.overlay = manifest.overlay
        return (allocator, manifest)
    }
}
