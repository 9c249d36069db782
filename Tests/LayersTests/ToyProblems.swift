import Layers
import Optimizers
import Support
import TensorModule

/// Small seeded problems that need a non-linear model (two spirals) or memory (recall the
/// first element of a sequence), with training loops written against the public API.
enum ToyProblems {
    /// Two interleaved spirals of `perClass` points each (1.5 turns, small seeded noise).
    /// - Returns: inputs `[2 * perClass, 2]` and labels 0 or 1.
    static func twoSpirals(perClass: Int, seed: UInt64) -> (Tensor<Float>, [Int]) {
        var g = SeededGenerator(seed: seed)
        var points: [Float] = []
        var labels: [Int] = []
        for label in 0..<2 {
            for i in 0..<perClass {
                let t = 0.15 + 0.85 * Double(i) / Double(perClass)
                let angle = 3 * Double.pi * t + Double(label) * Double.pi
                points += [
                    Float(t * cos(angle) + 0.01 * g.nextStandardNormal()), Float(t * sin(angle) + 0.01 * g.nextStandardNormal()),
                ]
                labels.append(label)
            }
        }
        return (Tensor(shape: [2 * perClass, 2], scalars: points), labels)
    }

    /// Sequences `[count, length, 1]` of noisy values whose label is the sign of the first
    /// step (1 if positive): solving it needs memory across the whole sequence.
    static func recallFirst(count: Int, length: Int, seed: UInt64) -> (Tensor<Float>, [Int]) {
        var g = SeededGenerator(seed: seed)
        var values: [Float] = []
        var labels: [Int] = []
        for _ in 0..<count {
            let first = g.nextUnitInterval() < 0.5 ? -1.0 : 1.0
            labels.append(first > 0 ? 1 : 0)
            values.append(Float(first))
            for _ in 1..<length { values.append(Float(g.nextStandardNormal())) }
        }
        return (Tensor(shape: [count, length, 1], scalars: values), labels)
    }

    /// The share of rows whose arg-max equals the label.
    static func accuracy(_ logits: Tensor<Float>, _ labels: [Int]) -> Double {
        let classes = logits.shape[1]
        var correct = 0
        for (row, label) in labels.enumerated() {
            let scores = logits.scalars[(row * classes)..<((row + 1) * classes)]
            if scores.firstIndex(of: scores.max()!)! - row * classes == label { correct += 1 }
        }
        return Double(correct) / Double(labels.count)
    }

    /// Trains an MLP on the spirals with Adam; returns the model and its training accuracy.
    static func trainSpiralMLP(seed: UInt64, steps: Int) -> (MLP<Float>, Double) {
        let (x, y) = twoSpirals(perClass: 150, seed: 11)
        var g = SeededGenerator(seed: seed)
        let mlp = MLP<Float>(inputs: 2, hidden: [64, 64], outputs: 2, using: &g)
        var adam = Adam<Float>(learningRate: 0.01)
        let schedule = CosineWithWarmup(peak: 0.01, floor: 0.001, warmupSteps: 20, totalSteps: steps)
        for step in 0..<steps {
            adam.learningRate = schedule.rate(atStep: step)
            var gradients = mlp(x).crossEntropy(labels: y).gradients()
            gradients.clipGlobalNorm(5, of: mlp.parameters)
            adam.step(mlp.parameters, gradients: gradients)
        }
        let logits = GradientRecording.withoutGradients { mlp(x) }
        return (mlp, accuracy(logits, y))
    }
}

#if canImport(Glibc)
    import Glibc
#endif
