import TensorModule

/// The per-element update loops of the optimisers, pre-specialised for `Float` and
/// `Double` (see `Kernels` in TensorModule for why).
enum OptimizerKernels {
    struct AdamSettings<S: TensorScalar> {
        let learningRate, beta1, beta2, epsilon, weightDecay: S
        let decoupled: Bool
        let firstCorrection, secondCorrection: S
    }

    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func adam<S: TensorScalar>(
        parameter: Parameter<S>, gradient: Tensor<S>, first: inout [S], second: inout [S], settings c: AdamSettings<S>
    ) {
        gradient.withUnsafeBufferPointer { g in
            first.withUnsafeMutableBufferPointer { m in
                second.withUnsafeMutableBufferPointer { v in
                    parameter.update { p in
                        for i in 0..<p.count {
                            var grad = g[i]
                            if c.decoupled {
                                p[i] -= c.learningRate * c.weightDecay * p[i]
                            } else if c.weightDecay != 0 {
                                grad += c.weightDecay * p[i]
                            }
                            m[i] = c.beta1 * m[i] + (1 - c.beta1) * grad
                            v[i] = c.beta2 * v[i] + (1 - c.beta2) * grad * grad
                            let denominator = (v[i] * c.secondCorrection).squareRoot() + c.epsilon
                            p[i] -= c.learningRate * (m[i] * c.firstCorrection) / denominator
                        }
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
