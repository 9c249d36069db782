import TensorModule

/// The per-element update loops of the optimisers, pre-specialised for `Float` and
/// `Double` (see `Kernels` in TensorModule for why).
enum OptimizerKernels {
    /// One Adam step of one parameter: AdamW's decoupled decay first (`shrink`, `1 - lr *
    /// decay`, nil for Adam), then the update of `Kernels.adam`.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func adam<S: TensorScalar>(
        parameter: Parameter<S>, gradient: Tensor<S>, first: inout [S], second: inout [S], shrink: S?,
        step: Kernels.AdamStep<S>
    ) {
        gradient.withUnsafeBufferPointer { g in
            first.withUnsafeMutableBufferPointer { m in
                second.withUnsafeMutableBufferPointer { v in
                    parameter.update { p in
                        if let shrink {
                            for i in 0..<p.count { p[i] *= shrink }
                        }
                        S.kernelAdam(p, gradient: g, first: m, second: v, step: step)
                    }
                }
            }
        }
    }

    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func sgd<S: TensorScalar>(
        parameter: Parameter<S>, gradient: Tensor<S>, velocity: inout [S]?, isFirst: Bool,
        learningRate: S, momentum: S, nesterov: Bool, weightDecay: S
    ) {
        gradient.withUnsafeBufferPointer { g in
            parameter.update { p in
                if var buffer = velocity {
                    for i in 0..<p.count {
                        let grad = g[i] + weightDecay * p[i]
                        buffer[i] = isFirst ? grad : momentum * buffer[i] + grad
                        p[i] -= learningRate * (nesterov ? grad + momentum * buffer[i] : buffer[i])
                    }
                    velocity = buffer
                } else {
                    for i in 0..<p.count { p[i] -= learningRate * (g[i] + weightDecay * p[i]) }
                }
            }
        }
    }
}
