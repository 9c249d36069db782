import Foundation
import TensorModule
import TestSupport
import Testing

/// A case of `Fixtures/ops.json`, made by `scripts/fixtures/make_tensor_fixtures.py` with
/// PyTorch 2.15 in float64 (forward values and the gradients of `sum(output * cotangent)`).
struct ReferenceCase: Decodable, Sendable, CustomStringConvertible {
    struct Array: Decodable, Sendable {
        let shape: [Int]
        let data: [Double]
        var tensor: Tensor<Double> { Tensor(shape: shape, scalars: data) }
    }
    struct Attributes: Decodable, Sendable {
        let axis: Int?, keepdims: Bool?, exponent: Double?, min: Double?, max: Double?
        let shape: [Int]?, start: Int?, end: Int?, indices: [Int]?, labels: [Int]?
        let classWeights: [Double]?, eps: Double?, transposeA: Bool?, transposeB: Bool?
    }
    let name: String
    let op: String
    let inputs: [Array]
    let attributes: Attributes
    let output: Array
    let cotangent: Array
    let inputGrads: [Array?]
    var description: String { name }

    static func load() throws -> [ReferenceCase] {
        struct File: Decodable { let cases: [ReferenceCase] }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(File.self, from: Data(contentsOf: Fixtures.url("ops.json"))).cases
    }
}

/// Runs a fixture case's op with this module (the names follow the fixture's).
func evaluate(_ c: ReferenceCase, _ x: [Tensor<Double>]) -> Tensor<Double> {
    let a = c.attributes
    switch c.op {
    case "add": return x[0] + x[1]
    case "sub": return x[0] - x[1]
    case "mul": return x[0] * x[1]
    case "div": return x[0] / x[1]
    case "matmul", "batched_matmul":
        return Tensor.matmul(x[0], x[1], transposingLHS: a.transposeA ?? false, transposingRHS: a.transposeB ?? false)
    case "sum": return x[0].sum(alongAxis: a.axis!, keepingDimension: a.keepdims ?? false)
    case "mean": return x[0].mean(alongAxis: a.axis!, keepingDimension: a.keepdims ?? false)
    case "max": return x[0].max(alongAxis: a.axis!, keepingDimension: a.keepdims ?? false)
    case "logsumexp": return x[0].logSumExp(alongAxis: a.axis!, keepingDimension: a.keepdims ?? false)
    case "exp": return x[0].exp()
    case "log": return x[0].log()
    case "tanh": return x[0].tanh()
    case "sigmoid": return x[0].sigmoid()
    case "relu": return x[0].relu()
    case "softplus": return x[0].softplus()
    case "sqrt": return x[0].squareRoot()
    case "abs": return x[0].abs()
    case "neg": return -x[0]
    case "pow": return x[0].pow(a.exponent!)
    case "clamp": return x[0].clamped(to: a.min!...a.max!)
    case "softmax": return x[0].softmax(alongAxis: a.axis!)
    case "log_softmax": return x[0].logSoftmax(alongAxis: a.axis!)
    case "transpose": return x[0].transposed()
    case "reshape": return x[0].reshaped(a.shape!)
    case "concat": return Tensor.concatenated(x, alongAxis: a.axis!)
    case "stack": return Tensor.stacked(x, alongAxis: a.axis!)
    case "slice": return x[0].sliced(alongAxis: a.axis!, a.start!..<a.end!)
    case "index_select": return x[0].gathering(alongAxis: a.axis!, indices: a.indices!)
    case "where": return Tensor.selecting(x[0], x[1], x[2])
    case "cross_entropy": return x[0].crossEntropy(labels: a.labels!, classWeights: a.classWeights)
    case "mse": return x[0].meanSquaredError(to: x[1])
    case "layer_norm": return x[0].layerNormalized(weight: x[1], bias: x[2], epsilon: a.eps!)
    case "linear": return Tensor.linear(x[0], weight: x[1], bias: x[2])
    default: fatalError("fixture op \(c.op) is evaluated by the Layers tests")
    }
}

@Suite("Forward values and gradients against PyTorch (Fixtures/ops.json)")
struct ReferenceFixtureTests {
    static let cases: [ReferenceCase] = (try? ReferenceCase.load().filter { !$0.op.hasPrefix("gru") }) ?? []

    @Test("the fixture file loads and covers the op table")
    func fixtureLoads() throws {
        let cases = try ReferenceCase.load()
        #expect(cases.count >= 50)
        #expect(Set(cases.map(\.op)).count >= 33)
    }

    @Test("forward value and input gradients match PyTorch", arguments: cases)
    func matches(_ c: ReferenceCase) throws {
        let inputs = c.inputs.enumerated().map { index, array in
            c.inputGrads[index] == nil ? array.tensor : array.tensor.requiringGradient()
        }
        let output = evaluate(c, inputs)
        #expect(output.shape == c.output.shape)
        let forward = firstDisagreement(output.scalars, c.output.data)
        #expect(forward == nil, "\(c.name) forward: \(forward ?? "")")
        let gradients = output.gradients(seed: c.cotangent.tensor)
        for (index, expected) in c.inputGrads.enumerated() {
            guard let expected else { continue }
            let actual = try #require(gradients[inputs[index]], "\(c.name): no gradient for input \(index)")
            #expect(actual.shape == expected.shape)
            let mismatch = firstDisagreement(actual.scalars, expected.data, relative: 1e-9, absolute: 1e-11)
            #expect(mismatch == nil, "\(c.name) gradient of input \(index): \(mismatch ?? "")")
        }
    }
}
