import Support
import TensorModule
import TestSupport

/// One row of the gradient-check table: inputs and the function of them to differentiate.
struct OpGradientCase: Sendable, CustomStringConvertible {
    let description: String
    let inputs: [Tensor<Double>]
    let function: @Sendable ([Tensor<Double>]) -> Tensor<Double>

    init(_ name: String, _ inputs: [Tensor<Double>], _ function: @escaping @Sendable ([Tensor<Double>]) -> Tensor<Double>) {
        self.description = name
        self.inputs = inputs
        self.function = function
    }
}

/// Every op of the tensor module, on non-square shapes with broadcast and size-1 axes
/// (adding an op adds a row here).
let opGradientCases: [OpGradientCase] = {
    var g = SeededGenerator(seed: 20_261_125)
    let a34 = g.normalTensor([3, 4])
    let b34 = g.normalTensor([3, 4])
    let c31 = g.normalTensor([3, 1])
    let r14 = g.normalTensor([1, 4])
    let t234 = g.normalTensor([2, 3, 4])
    let v4 = g.normalTensor([4])
    let positive34 = g.uniformTensor([3, 4], in: 0.5...2)
    let awayFromZero = g.tensorAvoiding([0], margin: 0.1, shape: [3, 4])
    let denominators = g.tensorAvoiding([0], margin: 0.5, shape: [1, 4])
    let unique = Tensor<Double>(shape: [3, 4], scalars: (0..<12).map { Double(($0 * 7) % 12) * 0.3 - 1.1 })
    var cases: [OpGradientCase] = [
        .init("add [3,1] + [1,4]", [c31, r14]) { $0[0] + $0[1] },
        .init("add [2,3,4] + [4]", [t234, v4]) { $0[0] + $0[1] },
        .init("add scalar", [a34]) { $0[0] + 2.5 },
        .init("sub [3,1] - [1,4]", [c31, r14]) { $0[0] - $0[1] },
        .init("sub [2,3,4] - [4]", [t234, v4]) { $0[0] - $0[1] },
        .init("mul [3,1] * [1,4]", [c31, r14]) { $0[0] * $0[1] },
        .init("mul [2,3,4] * [4]", [t234, v4]) { $0[0] * $0[1] },
        .init("div [3,4] / [1,4]", [a34, denominators]) { $0[0] / $0[1] },
        .init("neg", [a34]) { -$0[0] },
        .init("exp", [a34]) { $0[0].exp() },
        .init("log", [positive34]) { $0[0].log() },
        .init("tanh", [a34]) { $0[0].tanh() },
        .init("sigmoid", [a34 * 3]) { $0[0].sigmoid() },
        .init("relu", [awayFromZero]) { $0[0].relu() },
        .init("softplus", [a34 * 3]) { $0[0].softplus() },
        .init("sqrt", [positive34]) { $0[0].squareRoot() },
        .init("abs", [awayFromZero]) { $0[0].abs() },
        .init("pow 3", [a34]) { $0[0].pow(3) },
        .init("pow 0.5", [positive34]) { $0[0].pow(0.5) },
        .init("squared", [a34]) { $0[0].squared() },
        .init("clamp", [g.tensorAvoiding([-0.5, 0.7], margin: 0.05, shape: [3, 4])]) { $0[0].clamped(to: -0.5...0.7) },
        .init("sum axis 1", [t234]) { $0[0].sum(alongAxis: 1) },
        .init("sum axis -1 keeping", [t234]) { $0[0].sum(alongAxis: -1, keepingDimension: true) },
        .init("sum all", [t234]) { $0[0].sum() },
        .init("mean axis 0", [a34]) { $0[0].mean(alongAxis: 0) },
        .init("mean all", [a34]) { $0[0].mean() },
        .init("max axis 1", [unique]) { $0[0].max(alongAxis: 1) },
        .init("max axis 0 keeping", [unique]) { $0[0].max(alongAxis: 0, keepingDimension: true) },
        .init("logsumexp axis 1", [t234]) { $0[0].logSumExp(alongAxis: 1) },
        .init("softmax axis 1", [a34]) { $0[0].softmax(alongAxis: 1) },
        .init("softmax axis 1 of [2,3,4]", [t234]) { $0[0].softmax(alongAxis: 1) },
        .init("log-softmax axis 0", [a34]) { $0[0].logSoftmax(alongAxis: 0) },
        .init("log-softmax axis -1", [t234]) { $0[0].logSoftmax() },
        .init("reshape", [a34]) { $0[0].reshaped([2, 6]) },
        .init("transpose", [a34]) { $0[0].transposed() },
        .init("permute [2,3,4] by [2,0,1]", [t234]) { $0[0].permuted([2, 0, 1]) },
        .init("broadcast [3,1] to [2,3,4]", [c31]) { $0[0].broadcast(to: [2, 3, 4]) },
        .init("summed to [3,1]", [a34]) { $0[0].summed(toShape: [3, 1]) },
        .init("concat axis 1", [a34, c31]) { Tensor.concatenated([$0[0], $0[1]], alongAxis: 1) },
        .init("concat axis 0", [a34, r14]) { Tensor.concatenated([$0[0], $0[1]], alongAxis: 0) },
        .init("stack axis 0", [a34, b34]) { Tensor.stacked([$0[0], $0[1]], alongAxis: 0) },
        .init("stack axis 2", [a34, b34]) { Tensor.stacked([$0[0], $0[1]], alongAxis: 2) },
        .init("slice axis 1", [t234]) { $0[0].sliced(alongAxis: 1, 1..<3) },
        .init("index-select with a repeat", [a34]) { $0[0].gathering(alongAxis: 0, indices: [2, 0, 2]) },
        .init("index-select axis 2", [t234]) { $0[0].gathering(alongAxis: 2, indices: [3, 1]) },
        .init("where", [a34, b34]) {
            Tensor.selecting(Tensor(shape: [3, 4], scalars: (0..<12).map { Double($0 % 3 == 0 ? 1 : 0) }), $0[0], $0[1])
        },
        .init("layer norm", [t234, v4, g.normalTensor([4])]) { $0[0].layerNormalized(weight: $0[1], bias: $0[2]) },
        .init("cross-entropy", [g.normalTensor([5, 3])]) { $0[0].crossEntropy(labels: [0, 2, 1, 2, 0]) },
        .init("cross-entropy with class weights", [g.normalTensor([5, 3])]) {
            $0[0].crossEntropy(labels: [0, 2, 1, 2, 0], classWeights: [1, 2, 0.5])
        },
        .init("mse", [a34, b34]) { $0[0].meanSquaredError(to: $0[1]) },
        .init("node used twice: x*x + x", [a34]) { $0[0] * $0[0] + $0[0] },
        .init("linear (fused x W^T + b)", [g.normalTensor([5, 3]), g.normalTensor([4, 3]), g.normalTensor([4])]) {
            Tensor.linear($0[0], weight: $0[1], bias: $0[2])
        },
        .init(
            "gru sequence (fused BPTT)",
            [
                g.normalTensor([2, 4, 9]), g.normalTensor([2, 3]), g.normalTensor([9, 3]) * 0.5, g.normalTensor([9]) * 0.5,
            ]
        ) {
            Tensor.gruSequence(projectedInput: $0[0], initialState: $0[1], weightHH: $0[2], biasHH: $0[3])
        },
        .init(
            "gru sequence, hidden 10 (one full 8-lane pass and a tail of 2)",
            [
                g.normalTensor([1, 3, 30]) * 0.5, g.normalTensor([1, 10]), g.normalTensor([30, 10]) * 0.3,
                g.normalTensor([30]) * 0.5,
            ]
        ) {
            Tensor.gruSequence(projectedInput: $0[0], initialState: $0[1], weightHH: $0[2], biasHH: $0[3])
        },
        .init("chain: tanh(x W) summed over rows, then exp", [a34, g.normalTensor([4, 2])]) {
            Tensor.matmul($0[0], $0[1]).tanh().sum(alongAxis: 0).exp()
        },
    ]
    let a = g.normalTensor([3, 4])
    let aT = g.normalTensor([4, 3])
    let b = g.normalTensor([4, 5])
    let bT = g.normalTensor([5, 4])
    for (transposeA, transposeB) in [(false, false), (false, true), (true, false), (true, true)] {
        cases.append(
            .init("matmul \(transposeA ? "A^T" : "A") \(transposeB ? "B^T" : "B")", [transposeA ? aT : a, transposeB ? bT : b]) {
                Tensor.matmul($0[0], $0[1], transposingLHS: transposeA, transposingRHS: transposeB)
            })
    }
    cases.append(
        .init("batched matmul [2,3,4] x [2,4,5]", [g.normalTensor([2, 3, 4]), g.normalTensor([2, 4, 5])]) {
            Tensor.matmul($0[0], $0[1])
        })
    cases.append(
        .init("batched matmul A^T B^T", [g.normalTensor([2, 4, 3]), g.normalTensor([2, 5, 4])]) {
            Tensor.matmul($0[0], $0[1], transposingLHS: true, transposingRHS: true)
        })
    cases.append(
        .init("matmul [2,3,4] x shared [5,4]^T", [g.normalTensor([2, 3, 4]), g.normalTensor([5, 4])]) {
            Tensor.matmul($0[0], $0[1], transposingRHS: true)
        })
    return cases
}()
