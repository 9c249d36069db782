/// The Adam update of one parameter's elements (Kingma and Ba, 2015, with L2 folded into
/// the gradient; the decoupled decay of AdamW is applied by the caller first):
///
///     g' = g + l2 p;  m = b1 m + (1 - b1) g';  v = b2 v + (1 - b2) g' g'
///     p -= stepSize m / (sqrt(v * correction) + epsilon)
///
/// with `stepSize = lr / (1 - b1^t)` and `correction = 1 / (1 - b2^t)`. Eight elements at a
/// time (`lanes`): the optimiser's own loop was specialised but only partly vectorised
/// (9% of an MLP step at batch 256); each lane does the scalar arithmetic in order.
extension Kernels {
    /// The Adam hyper-parameters of one step, in the parameter's scalar type.
    package struct AdamStep<S> {
        /// Betas, the L2 coefficient (0 for AdamW), epsilon.
        package let beta1, beta2, l2, epsilon: S
        /// `lr / (1 - beta1^t)` and `1 / (1 - beta2^t)`.
        package let stepSize, correction: S

        /// The step's values.
        package init(beta1: S, beta2: S, l2: S, epsilon: S, stepSize: S, correction: S) {
            (self.beta1, self.beta2, self.l2, self.epsilon) = (beta1, beta2, l2, epsilon)
            (self.stepSize, self.correction) = (stepSize, correction)
        }
    }

    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func adam<S: TensorScalar>(
        _ parameter: UnsafeMutableBufferPointer<S>, gradient: UnsafeBufferPointer<S>,
        first: UnsafeMutableBufferPointer<S>, second: UnsafeMutableBufferPointer<S>, step c: AdamStep<S>
    ) {
        let count = parameter.count
        let (p, g, m, v) = (parameter.baseAddress!, gradient.baseAddress!, first.baseAddress!, second.baseAddress!)
        for i in stride(from: 0, to: count, by: 8) {
            let n = Swift.min(8, count - i)
            let value = lanes(UnsafePointer(p + i), n)
            let grad = lanes(g + i, n) + c.l2 * value
            let newFirst = c.beta1 * lanes(UnsafePointer(m + i), n) + (1 - c.beta1) * grad
            let newSecond = c.beta2 * lanes(UnsafePointer(v + i), n) + (1 - c.beta2) * grad * grad
            store(newFirst, to: m + i, n)
            store(newSecond, to: v + i, n)
            store(value - c.stepSize * newFirst / ((newSecond * c.correction).squareRoot() + c.epsilon), to: p + i, n)
        }
    }
}
