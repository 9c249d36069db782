import TensorModule

extension Gradients {
    /// The Euclidean norm of the gradients of `parameters` taken together (summed in the
    /// parameters' order, so the result is the same on every run).
    package func globalNorm(of parameters: [Parameter<Scalar>]) -> Scalar {
        var total: Scalar = 0
        for parameter in parameters {
            guard let gradient = self[parameter] else { continue }
            total += gradient.withUnsafeBufferPointer { buffer in buffer.reduce(0) { $0 + $1 * $1 } }
        }
        return total.squareRoot()
    }

    /// Rescales the gradients of `parameters` so that their global norm is at most
    /// `maxNorm` (PyTorch's `clip_grad_norm_`, factor `maxNorm / (norm + 1e-6)`).
    /// - Returns: the norm before clipping.
    @discardableResult
    package mutating func clipGlobalNorm(_ maxNorm: Scalar, of parameters: [Parameter<Scalar>]) -> Scalar {
        let norm = globalNorm(of: parameters)
        let factor = maxNorm / (norm + Scalar(1e-6))
        if factor < 1 { scale(by: factor) }
        return norm
    }
}
