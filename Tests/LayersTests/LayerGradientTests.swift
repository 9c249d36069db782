import Layers
import Support
import TensorModule
import TestSupport
import Testing

/// Whole-layer gradient checks: every parameter's and the input's gradient against central
/// differences in Float64 (llm.c's whole-model check).
@Suite("Layer gradient checks (Float64)")
struct LayerGradientTests {
    @Test("Linear on [B, I] and [B, T, I]")
    func linear() {
        var g = SeededGenerator(seed: 1)
        let layer = Linear<Double>(inputs: 3, outputs: 4, name: "fc", using: &g)
        layer.bias.assign(g.normalTensor([4]))
        for shape in [[5, 3], [2, 3, 3]] {
            let report = GradientCheck.check(inputs: [g.normalTensor(shape)], parameters: layer.parameters) { layer($0[0]) }
            #expect(report.passed, "\(shape): \(report)")
        }
    }

    @Test("MLP with tanh (smooth, so no kinks)")
    func mlp() {
        var g = SeededGenerator(seed: 2)
        let mlp = MLP<Double>(inputs: 3, hidden: [5, 4], outputs: 2, activation: .tanh, initializer: .xavierUniform(), using: &g)
        let report = GradientCheck.check(inputs: [g.normalTensor([4, 3])], parameters: mlp.parameters) { mlp($0[0]) }
        #expect(report.passed, "\(report)")
        #expect(report.checked == 12 + mlp.parameterCount)
    }

    @Test("MLP with ReLU and a cross-entropy loss")
    func mlpClassifier() {
        var g = SeededGenerator(seed: 3)
        let mlp = MLP<Double>(inputs: 2, hidden: [6], outputs: 3, using: &g)
        let x = g.normalTensor([5, 2])
        let report = GradientCheck.check(inputs: [], parameters: mlp.parameters) { _ in
            mlp(x).crossEntropy(labels: [0, 1, 2, 1, 0], classWeights: [1, 2, 3])
        }
        #expect(report.passed, "\(report)")
    }

    @Test("GRU cell: input, state and all four parameters")
    func gruCell() {
        var g = SeededGenerator(seed: 4)
        let cell = GRUCell<Double>(inputs: 3, hidden: 4, name: "cell", using: &g)
        let report = GradientCheck.check(inputs: [g.normalTensor([2, 3]), g.normalTensor([2, 4])], parameters: cell.parameters) {
            cell($0[0], state: $0[1])
        }
        #expect(report.passed, "\(report)")
    }

    @Test("GRU over a sequence: every output step and the last state")
    func gruSequence() {
        var g = SeededGenerator(seed: 5)
        let gru = GRU<Double>(inputs: 2, hidden: 3, using: &g)
        let report = GradientCheck.check(
            inputs: [g.normalTensor([2, 5, 2]), g.normalTensor([2, 3])], parameters: gru.parameters
        ) {
            let (outputs, last) = gru($0[0], initialState: $0[1])
            return outputs.sum(alongAxis: 1) * last
        }
        #expect(report.passed, "\(report)")
    }

    @Test("LayerNorm layer with learned scale and shift")
    func layerNorm() {
        var g = SeededGenerator(seed: 6)
        let norm = LayerNorm<Double>(width: 4, name: "ln")
        norm.weight.assign(g.normalTensor([4]))
        norm.bias.assign(g.normalTensor([4]))
        let report = GradientCheck.check(inputs: [g.normalTensor([3, 4])], parameters: norm.parameters) { norm($0[0]) }
        #expect(report.passed, "\(report)")
    }

    @Test("Dropout with a fixed seed (same mask in every evaluation)")
    func dropout() {
        var g = SeededGenerator(seed: 7)
        let dropout = Dropout(rate: 0.3)
        let report = GradientCheck.check(inputs: [g.normalTensor([4, 5])]) {
            var maskGenerator = SeededGenerator(seed: 99)
            return dropout($0[0], training: true, using: &maskGenerator)
        }
        #expect(report.passed, "\(report)")
    }
}
