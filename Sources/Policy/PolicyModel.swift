import Features
import Foundation
import ModelStore
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
    /// - Throws: `ModelRegistry.Failure` (missing or damaged), or a decoding error.
    package static func load(_ reference: ModelRegistry.Reference, from registry: ModelRegistry) throws -> (
        allocator: PolicyAllocator, manifest: ModelManifest
    ) {
        let version = try registry.resolve(reference)
        let folder = registry.directory(reference.name, version)
        guard let manifestData = FileManager.default.contents(atPath: folder.appendingPathComponent("manifest.json").path) else {
            throw ModelRegistry.Failure(
                description: "\(folder.path)/manifest.json: missing; version \(reference.name):\(version) is damaged",
                isMissing: true)
        }
        let manifest: ModelManifest
        do {
            manifest = try JSONDecoder().decode(ModelManifest.self, from: manifestData)
        } catch {
            throw ModelRegistry.Failure(
                description: "\(folder.path)/manifest.json: not a regimen.model/v1 manifest; version is damaged", isMissing: true)
        }
        let files = try registry.verifiedFiles(reference.name, version, checksums: manifest.files)
        let regime = try files["regime.json"].map { data in
            let damaged = { (why: String) in
                ModelRegistry.Failure(
                    description: "\(folder.path)/regime.json: \(why); version \(reference.name):\(version) is damaged",
                    isMissing: true)
            }
            guard let model = try? JSONDecoder().decode(GaussianHMM.self, from: data) else { throw damaged("not a regime model") }
            if let rule = model.brokenRule { throw damaged(rule) }
            return model
        }
        let normalisation = try JSONDecoder().decode(FeatureNormalisation.self, from: files["normalisation.json"] ?? Data())
        let shape = manifest.network
        let members = (0..<shape.members).map { k in
            PolicyNetwork<Float>(
                scorerInputs: shape.scorerInputs, cashInputs: shape.cashInputs, hidden: shape.hidden, seed: 0,
                name: PolicyNetwork<Float>.memberName(k))
        }
        let weights = folder.appendingPathComponent("policy.safetensors")
        try SafeTensorsFile(decoding: files["policy.safetensors"] ?? Data(), source: weights.path)
            .load(into: members.flatMap(\.parameters), source: weights.path)
        let allocator = PolicyAllocator(
            name: reference.name, version: version, members: members, normalisation: normalisation, regimeModel: regime,
            spec: manifest.featureSpec)
        return (allocator, manifest)
    }
}
