/// The affine map of a fully connected layer, fused: `x W^T + b` in one `gemm` whose output
/// starts as the broadcast bias (`beta = 1`), saving a pass and a buffer per layer.
///
/// Shapes: `x` `[B, I]`, `weight` `[O, I]` (PyTorch's layout), `bias` `[O]`, result `[B, O]`.
extension Tensor {
    /// `x W^T + b`. Backward: `dx = G W`, `dW = G^T x`, `db = sum over rows of G`.
    /// - Precondition: the shapes above.
    @_specialize(where Scalar == Float)
    package static func linear(_ x: Tensor, weight: Tensor, bias: Tensor) -> Tensor {
        precondition(
            x.rank == 2 && weight.rank == 2 && x.shape[1] == weight.shape[1] && bias.shape == [weight.shape[0]],
            "linear: input \(x.shape), weight \(weight.shape) and bias \(bias.shape) do not fit x W^T + b")
        let (rows, inputs, outputs) = (x.shape[0], x.shape[1], weight.shape[0])
        let scalars = [Scalar].uninitialized(count: rows * outputs) { out in
            bias.withUnsafeBufferPointer { Kernels.fillRows(out.baseAddress!, rows: rows, with: $0) }
            x.withUnsafeBufferPointer { a in
                weight.withUnsafeBufferPointer { w in
                    Kernels.gemm(
                        a.baseAddress!, lda: inputs, transposeA: false, w.baseAddress!, ldb: inputs, transposeB: true,
                        out.baseAddress!, ldc: outputs, m: rows, n: outputs, k: inputs, beta: 1)
                }
            }
        }
        let (input, savedWeight) = (x.detached, weight.detached)
        let (inputNeeds, weightNeeds) = (x.requiresGradient, weight.requiresGradient)
        return result("linear", shape: [rows, outputs], scalars: scalars, inputs: [x, weight, bias]) { g in
            let biasGradient = [Scalar].uninitialized(count: outputs) { out in
                g.withUnsafeBufferPointer { Kernels.columnSums($0, rows: rows, out) }
            }
            return [
                inputNeeds ? matmul(g, savedWeight) : nil,
                weightNeeds ? matmul(g, input, transposingLHS: true) : nil,
                Tensor(shape: [outputs], scalars: biasGradient),
            ]
        }
    }
}
