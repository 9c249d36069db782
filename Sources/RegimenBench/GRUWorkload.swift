import ArgumentParser
import Layers
import LinearAlgebra
import Optimizers
import Support
import TensorModule

/// `regimen-bench gru`: training steps of a one-layer Float32 GRU over batch-first
/// sequences with a linear classifier on the last state, cross-entropy and Adam (lr 1e-3).
struct GRUWorkload: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gru", abstract: "Training steps per second of a Float32 GRU sequence classifier (Adam).")

    @Option(help: "Batch size.") var batch: Int = 128
    @Option(help: "Sequence length.") var length: Int = 32
    @Option(help: "Input features.") var inputs: Int = 16
    @Option(help: "Hidden width.") var hidden: Int = 64
    @Option(help: "Classes.") var classes: Int = 4
    @Option(help: "Steps per timed repeat.") var steps: Int = 20
    @OptionGroup var common: CommonOptions

    func validate() throws {
        guard batch > 0, length > 0, inputs > 0, hidden > 0, classes > 1, steps > 0 else {
            throw ValidationError("--batch, --length, --inputs, --hidden and --steps must be positive and --classes at least 2")
        }
    }

    func run() {
        common.apply()
        var generator = SeededGenerator(seed: 1)
        let gru = GRU<Float>(inputs: inputs, hidden: hidden, using: &generator)
        let head = Linear<Float>(inputs: hidden, outputs: classes, name: "head", using: &generator)
        let parameters = gru.parameters + head.parameters
        let count = batch * length * inputs
        let x = Tensor<Float>(
            shape: [batch, length, inputs], scalars: (0..<count).map { _ in Float(generator.nextStandardNormal()) })
        let labels = (0..<batch).map { _ in Int(generator.next() % UInt64(classes)) }
        var adam = Adam<Float>(learningRate: 1e-3)
        let measurement = Measurement.time(repeats: common.repeats, steps: steps) {
            for _ in 0..<steps {
                adam.step(parameters, gradients: head(gru(x).last).crossEntropy(labels: labels).gradients())
            }
        }
        let flops = 6 * Double(batch) * Double(length) * 3 * Double(hidden) * Double(inputs + hidden)
        var line = measurement.fields(flopsPerStep: flops)
        line["workload"] = "gru"
        line["params"] =
            ["batch": batch, "length": length, "inputs": inputs, "hidden": hidden, "classes": classes, "steps": steps]
            as [String: Any]
        line["threads"] = common.threads
        printJSONLine(line)
    }
}
