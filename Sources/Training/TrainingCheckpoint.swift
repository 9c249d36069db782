import Foundation
import Layers
import ModelStore
import Optimizers
import Support
import TensorModule

/// A training run's state after an epoch, so an interrupted run resumes exactly (same
/// bytes as an uninterrupted one): the parameters, the best parameters so far, Adam's
/// moments and step count, the generator, the early-stopping counters and the history.
/// Stored as `checkpoint.json` plus `checkpoint.safetensors`, each written atomically; the
/// JSON names the tensors file's SHA-256 so a torn pair is ignored, not loaded.
struct TrainingCheckpoint: Codable {
    struct Entry: Codable {
        let epoch: Int
        let loss: Double
        let validationSharpe: Double?
    }

    let epoch: Int
    let generator: SeededGenerator
    let adamSteps: Int
    let bestSharpe: Double
    let sinceBest: Int
    let history: [Entry]
    let tensorsSHA256: String

    static func save(
        to directory: URL, epoch: Int, generator: SeededGenerator, adam: Adam<Float>, parameters: [Parameter<Float>],
        best: (sharpe: Double, values: [Tensor<Float>]), sinceBest: Int, history: [(Int, Double, Double?)]
    ) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var tensors: [String: StoredTensor] = [:]
        for (k, (parameter, moments)) in zip(parameters, adam.moments(of: parameters)).enumerated() {
            tensors["current.\(k)"] = .float32(parameter.value.detached)
            tensors["best.\(k)"] = .float32(best.values[k].detached)
            tensors["adam_m.\(k)"] = .float32(Tensor(shape: parameter.shape, scalars: moments.first))
            tensors["adam_v.\(k)"] = .float32(Tensor(shape: parameter.shape, scalars: moments.second))
        }
        let data = SafeTensorsFile(tensors: tensors).encoded()
        try AtomicFile.write(data, to: directory.appendingPathComponent("checkpoint.safetensors"))
        let state = TrainingCheckpoint(
            epoch: epoch, generator: generator, adamSteps: adam.steps, bestSharpe: best.sharpe, sinceBest: sinceBest,
            history: history.map { Entry(epoch: $0.0, loss: $0.1, validationSharpe: $0.2) },
            tensorsSHA256: SHA256.hex([UInt8](data)))
        try AtomicFile.write(try CanonicalJSON.encode(state), to: directory.appendingPathComponent("checkpoint.json"))
    }

    /// The saved state and tensors, or nil when there is no consistent checkpoint.
    static func load(from directory: URL) -> (TrainingCheckpoint, SafeTensorsFile)? {
        guard let json = FileManager.default.contents(atPath: directory.appendingPathComponent("checkpoint.json").path),
            let state = try? JSONDecoder().decode(TrainingCheckpoint.self, from: json),
            let data = FileManager.default.contents(atPath: directory.appendingPathComponent("checkpoint.safetensors").path),
            SHA256.hex([UInt8](data)) == state.tensorsSHA256,
            let tensors = try? SafeTensorsFile(decoding: data, source: "checkpoint")
        else { return nil }
        return (state, tensors)
    }
}
