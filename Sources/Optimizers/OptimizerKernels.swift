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
                        // Branches hoisted out of the loops so each loop vectorises.
                        if c.decoupled {
                            let shrink = 1 - c.learningRate * c.weightDecay
                            for i in 0..<p.count { p[i] *= shrink }
                        }
                        let step = Kernels.AdamStep(
                            beta1: c.beta1, beta2: c.beta2, l2: c.decoupled ? 0 : c.weightDecay, epsilon: c.epsilon,
                            stepSize: c.learningRate * c.firstCorrection, correction: c.secondCorrection)
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
