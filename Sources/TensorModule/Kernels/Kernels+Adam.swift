/// The Adam update of one parameter's elements (Kingma and Ba, 2015, with L2 folded into
/// the gradient; the decoupled decay of AdamW is applied by the caller first):
///
///     g' = g + l2 p;  m = b1 m + (1 - b1) g';  v = b2 v + (1 - b2) g' g'
///     p -= stepSize m / (sqrt(v * correction) + epsilon)
///
/// with `stepSize = lr / (1 - b1^t)` and `correction = 1 / (1 - b2^t)`. A plain loop that the
/// compiler widens to eight lanes once the square root is `vectorizableSquareRoot`: with
/// `squareRoot()` (a C library call under errno rules on Linux) it stayed one element at a
/// time, about 10% of an MLP step at batch 256 (perf, 1 thread); each element does the same
/// IEEE arithmetic in the same order either way, so the bits are the same.
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
        let (p, g, m, v) = (parameter.baseAddress!, gradient.baseAddress!, first.baseAddress!, second.baseAddress!)
        for i in 0..<parameter.count {
            let grad = g[i] + c.l2 * p[i]
            let newFirst = c.beta1 * m[i] + (1 - c.beta1) * grad
            let newSecond = c.beta2 * v[i] + (1 - c.beta2) * grad * grad
            m[i] = newFirst
            v[i] = newSecond
            p[i] -= c.stepSize * newFirst / (S.vectorizableSquareRoot(newSecond * c.correction) + c.epsilon)
        }
    }
}
