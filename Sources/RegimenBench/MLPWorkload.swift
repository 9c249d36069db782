import ArgumentParser
import Foundation
import Layers
import LinearAlgebra
import Optimizers
import Support
import TensorModule

/// `regimen-bench mlp`: training steps of a Float32 ReLU MLP classifier with softmax
/// cross-entropy and Adam (lr 1e-3) on one fixed random batch.
struct MLPWorkload: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mlp", abstract: "Training steps per second of a Float32 MLP classifier (Adam).")

    @Option(help: "Batch size.") var batch: Int = 256
    @Option(help: "Input features.") var inputs: Int = 64
    @Option(help: "Hidden widths, comma-separated.") var hidden: String = "128,128"
    @Option(help: "Classes.") var classes: Int = 8
    @Option(help: "Steps per timed repeat.") var steps: Int = 100
    @OptionGroup var common: CommonOptions

    func hiddenWidths() throws -> [Int] {
        let widths = hidden.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !widths.isEmpty, widths.allSatisfy({ ($0 ?? 0) > 0 }) else {
            throw ValidationError("--hidden must be positive integers separated by commas, got '\(hidden)'")
        }
        return widths.map { $0! }
    }

    func validate() throws {
        _ = try hiddenWidths()
        guard batch > 0, inputs > 0, classes > 1, steps > 0 else {
            throw ValidationError("--batch, --inputs and --steps must be positive and --classes at least 2")
        }
    }

    func run() throws {
        common.apply()
        let widths = try hiddenWidths()
        var generator = SeededGenerator(seed: 1)
        let mlp = MLP<Float>(inputs: inputs, hidden: widths, outputs: classes, using: &generator)
        let x = Tensor<Float>(
            shape: [batch, inputs], scalars: (0..<(batch * inputs)).map { _ in Float(generator.nextStandardNormal()) })
        let labels = (0..<batch).map { _ in Int(generator.next() % UInt64(classes)) }
        var adam = Adam<Float>(learningRate: 1e-3)
        let measurement = Measurement.time(repeats: common.repeats, steps: steps) {
            for _ in 0..<steps {
                adam.step(mlp.parameters, gradients: mlp(x).crossEntropy(labels: labels).gradients())
            }
        }
        let layerWidths = [inputs] + widths + [classes]
        let macs = zip(layerWidths, layerWidths.dropFirst()).reduce(0) { $0 + $1.0 * $1.1 }
        var line = measurement.fields(flopsPerStep: 6 * Double(batch) * Double(macs))
        line["workload"] = "mlp"
        line["params"] =
            ["batch": batch, "inputs": inputs, "hidden": widths, "classes": classes, "steps": steps] as [String: Any]
        line["threads"] = common.threads
        printJSONLine(line)
    }
}
