import Foundation
import Layers
import Support
import TensorModule
import TestSupport
import Testing

/// GRU cell and GRU sequence against PyTorch's `GRUCell` and `GRU(batch_first=True)`, with
/// the weights stored in `Tests/TensorModuleTests/Fixtures/ops.json` (made by
/// `scripts/fixtures/make_tensor_fixtures.py`).
@Suite("Layers against PyTorch")
struct LayerReferenceTests {
    struct Case: Decodable {
        struct Array: Decodable {
            let shape: [Int]
            let data: [Double]
            var tensor: Tensor<Double> { Tensor(shape: shape, scalars: data) }
        }
        let name: String
        let inputs: [Array]
        let output: Array
        let cotangent: Array
        let inputGrads: [Array?]
    }

    static func load(_ name: String) throws -> Case {
        struct File: Decodable { let cases: [Case] }
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../TensorModuleTests/Fixtures/ops.json")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try #require(try decoder.decode(File.self, from: Data(contentsOf: url)).cases.first { $0.name == name })
    }

    /// Loads PyTorch's weights (inputs 2...5 of the case, in PyTorch's order) into a cell.
    static func cell(from c: Case, offset: Int) -> GRUCell<Double> {
        let hidden = c.inputs[offset + 1].shape[1]
        var g = SeededGenerator(seed: 0)
        let cell = GRUCell<Double>(inputs: c.inputs[offset].shape[1], hidden: hidden, name: "gru", using: &g)
        for (parameter, array) in zip(cell.parameters, c.inputs[offset...]) { parameter.assign(array.tensor) }
        return cell
    }

    @Test("GRU cell: forward and every gradient match torch.nn.GRUCell")
    func gruCell() throws {
        let c = try Self.load("gru_cell")
        let cell = Self.cell(from: c, offset: 2)
        let x = c.inputs[0].tensor.requiringGradient()
        let h = c.inputs[1].tensor.requiringGradient()
        let output = cell(x, state: h)
        #expect(firstDisagreement(output.scalars, c.output.data) == nil)
        let gradients = output.gradients(seed: c.cotangent.tensor)
        let actual = [gradients[x], gradients[h]] + cell.parameters.map { gradients[$0] }
        for (index, expected) in c.inputGrads.enumerated() {
            let mismatch = firstDisagreement(try #require(actual[index]).scalars, try #require(expected).data, relative: 1e-9)
            #expect(mismatch == nil, "gradient \(index): \(mismatch ?? "")")
        }
    }

    @Test("GRU sequence: all hidden states and gradients match torch.nn.GRU")
    func gruSequence() throws {
        let c = try Self.load("gru_sequence")
        var g = SeededGenerator(seed: 0)
        let hidden = c.inputs[2].shape[1]
        let gru = GRU<Double>(inputs: c.inputs[0].shape[2], hidden: hidden, using: &g)
        for (parameter, array) in zip(gru.parameters, c.inputs[1...]) { parameter.assign(array.tensor) }
        let x = c.inputs[0].tensor.requiringGradient()
        let (outputs, _) = gru(x)
        #expect(outputs.shape == c.output.shape)
        #expect(firstDisagreement(outputs.scalars, c.output.data) == nil)
        let gradients = outputs.gradients(seed: c.cotangent.tensor)
        let actual = [gradients[x]] + gru.parameters.map { gradients[$0] }
        for (index, expected) in c.inputGrads.enumerated() {
            let mismatch = firstDisagreement(try #require(actual[index]).scalars, try #require(expected).data, relative: 1e-9)
            #expect(mismatch == nil, "gradient \(index): \(mismatch ?? "")")
        }
    }
}

@Suite("The fused GRU sequence agrees with the step-by-step cell")
struct FusedGRUTests {
    @Test("outputs and every gradient match a loop of GRUCell steps")
    func fusedMatchesCell() {
        var g = SeededGenerator(seed: 21)
        let gru = GRU<Double>(inputs: 3, hidden: 5, using: &g)
        let x = g.normalTensor([4, 6, 3])
        let h0 = g.normalTensor([4, 5])
        let cotangent = g.normalTensor([4, 6, 5])
        let fused = gru(x, initialState: h0).outputs
        var state = h0
        var steps: [Tensor<Double>] = []
        for t in 0..<6 {
            state = gru.cell(x.sliced(alongAxis: 1, t..<t + 1).reshaped([4, 3]), state: state)
            steps.append(state)
        }
        let reference = Tensor.stacked(steps, alongAxis: 1)
        #expect(firstDisagreement(fused.scalars, reference.scalars, relative: 1e-13, absolute: 1e-14) == nil)
        let fusedGradients = (fused * cotangent).sum().gradients()
        let referenceGradients = (reference * cotangent).sum().gradients()
        for parameter in gru.parameters {
            let mismatch = firstDisagreement(
                fusedGradients[parameter]!.scalars, referenceGradients[parameter]!.scalars, relative: 1e-12, absolute: 1e-13)
            #expect(mismatch == nil, "\(parameter.name): \(mismatch ?? "")")
        }
    }
}
