import Layers
import LinearAlgebra
import Optimizers
import Support
import TensorModule
import Testing

@Suite("Toy models learn, deterministically")
struct LearningTests {
    @Test("an MLP separates two spirals to at least 97% accuracy")
    func spirals() {
        let (_, accuracy) = ToyProblems.trainSpiralMLP(seed: 1, steps: 600)
        #expect(accuracy >= 0.97, "accuracy \(accuracy)")
    }

    @Test("a linear model cannot separate the spirals (the task really needs the MLP)")
    func spiralsAreNonLinear() {
        let (x, y) = ToyProblems.twoSpirals(perClass: 150, seed: 11)
        var g = SeededGenerator(seed: 1)
        let linear = Linear<Float>(inputs: 2, outputs: 2, name: "linear", using: &g)
        var adam = Adam<Float>(learningRate: 0.05)
        for _ in 0..<300 { adam.step(linear.parameters, gradients: linear(x).crossEntropy(labels: y).gradients()) }
        #expect(ToyProblems.accuracy(linear(x), y) < 0.75)
    }

    @Test("a GRU recalls the first element of a 10-step noisy sequence (needs memory)")
    func gruMemory() {
        let (x, y) = ToyProblems.recallFirst(count: 256, length: 10, seed: 5)
        let (testX, testY) = ToyProblems.recallFirst(count: 256, length: 10, seed: 6)
        var g = SeededGenerator(seed: 3)
        let gru = GRU<Float>(inputs: 1, hidden: 16, using: &g)
        let head = Linear<Float>(inputs: 16, outputs: 2, name: "head", initializer: .xavierUniform(), using: &g)
        let parameters = gru.parameters + head.parameters
        var adam = Adam<Float>.adamW(learningRate: 0.02, weightDecay: 1e-4)
        for step in 0..<150 {
            let batch = Array((step * 64 % 256)..<(step * 64 % 256 + 64))
            let inputs = x.gathering(alongAxis: 0, indices: batch)
            var gradients = head(gru(inputs).last).crossEntropy(labels: batch.map { y[$0] }).gradients()
            gradients.clipGlobalNorm(1, of: parameters)
            adam.step(parameters, gradients: gradients)
        }
        let accuracy = GradientRecording.withoutGradients { ToyProblems.accuracy(head(gru(testX).last), testY) }
        #expect(accuracy >= 0.95, "held-out accuracy \(accuracy)")
    }

    @Test("the same seed gives bit-identical parameters after training; another seed differs")
    func determinism() {
        // A product's bits depend on OpenBLAS's thread count, which is process-wide: tests
        // running beside this one open single-threaded regions of their own. Inside one, every
        // product runs on one thread whatever they do (the regimen process trains alone).
        let (first, second, other) = BLASThreads.singleThreaded {
            (
                ToyProblems.trainSpiralMLP(seed: 9, steps: 40).0, ToyProblems.trainSpiralMLP(seed: 9, steps: 40).0,
                ToyProblems.trainSpiralMLP(seed: 10, steps: 40).0
            )
        }
        let bits = { (mlp: MLP<Float>) in mlp.parameters.flatMap { $0.value.scalars.map(\.bitPattern) } }
        #expect(bits(first) == bits(second))
        #expect(bits(first) != bits(other))
    }
}
