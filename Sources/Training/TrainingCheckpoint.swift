import Foundation
import ModelStore
import Optimizers
import Policy
import Support
import TensorModule

/// A member's training state after an epoch (`MemberTraining`), so an interrupted run
/// resumes exactly (same bytes as an uninterrupted one): the parameters, the best parameters
/// so far, Adam's moments and step count, the generator, the early-stopping counters and the
/// history. Stored as `checkpoint.json` plus `checkpoint.safetensors`, each written
/// atomically; the JSON names the tensors file's SHA-256 so a torn pair is ignored, not
/// loaded. The tensor names are spelled here only (`TensorKey`).
struct TrainingCheckpoint: Codable {
    let generator: SeededGenerator
    let adamSteps: Int
    let bestSharpe: Double
    let sinceBest: Int
    let history: [PolicyTrainer.Epoch]
    let tensorsSHA256: String

    /// The name of parameter `index`'s tensor of each kind in `checkpoint.safetensors`.
    private enum TensorKey: String, CaseIterable {
        case current, best
        case adamFirstMoment = "adam_m"
        case adamSecondMoment = "adam_v"

        func name(_ index: Int) -> String { "\(rawValue).\(index)" }
    }

    /// Saves `training` into `directory` (created if needed).
    static func save(_ training: MemberTraining, to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let parameters = training.network.parameters
        var tensors: [String: StoredTensor] = [:]
        for (k, (parameter, moments)) in zip(parameters, training.adam.moments(of: parameters)).enumerated() {
            tensors[TensorKey.current.name(k)] = .float32(parameter.value.detached)
            tensors[TensorKey.best.name(k)] = .float32(training.stopping.bestValues[k].detached)
            tensors[TensorKey.adamFirstMoment.name(k)] = .float32(Tensor(shape: parameter.shape, scalars: moments.first))
            tensors[TensorKey.adamSecondMoment.name(k)] = .float32(Tensor(shape: parameter.shape, scalars: moments.second))
        }
        let data = SafeTensorsFile(tensors: tensors).encoded()
        try AtomicFile.write(data, to: directory.appendingPathComponent("checkpoint.safetensors"))
        let state = TrainingCheckpoint(
            generator: training.generator, adamSteps: training.adam.steps, bestSharpe: training.stopping.bestScore,
            sinceBest: training.stopping.epochsSinceBest, history: training.history, tensorsSHA256: SHA256.hex([UInt8](data)))
        try AtomicFile.write(try CanonicalJSON.encode(state), to: directory.appendingPathComponent("checkpoint.json"))
    }

    /// Puts the state saved in `directory` into `training`.
    /// - Returns: false (and `training` unchanged) when there is no consistent checkpoint.
    static func restore(_ training: inout MemberTraining, from directory: URL) -> Bool {
        guard let json = FileManager.default.contents(atPath: directory.appendingPathComponent("checkpoint.json").path),
            let state = try? JSONDecoder().decode(TrainingCheckpoint.self, from: json),
            let data = FileManager.default.contents(atPath: directory.appendingPathComponent("checkpoint.safetensors").path),
            SHA256.hex([UInt8](data)) == state.tensorsSHA256,
            let file = try? SafeTensorsFile(decoding: data, source: "checkpoint")
        else { return false }
        let parameters = training.network.parameters
        func tensor(_ key: TensorKey, _ k: Int) -> Tensor<Float>? { file.tensors[key.name(k)]?.tensor(as: Float.self) }
        let complete = parameters.indices.allSatisfy { k in
            TensorKey.allCases.allSatisfy { tensor($0, k)?.shape == parameters[k].shape }
        }
        guard complete, state.history.last.map({ $0.member == training.member + 1 }) ?? true else { return false }
        for (k, parameter) in parameters.enumerated() { parameter.assign(tensor(.current, k)!) }
        training.stopping = EarlyStopping(
            goal: training.stopping.goal, patience: training.stopping.patience,
            minimumImprovement: training.stopping.minimumImprovement, bestScore: state.bestSharpe,
            bestValues: parameters.indices.map { tensor(.best, $0)! }, epochsSinceBest: state.sinceBest)
        training.adam.restore(
            steps: state.adamSteps,
            moments: parameters.indices.map {
                (tensor(.adamFirstMoment, $0)!.scalars, tensor(.adamSecondMoment, $0)!.scalars)
            },
            of: parameters)
        training.generator = state.generator
        training.history = state.history
        return true
    }
}
