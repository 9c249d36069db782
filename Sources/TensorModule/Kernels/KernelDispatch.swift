import RealModule

/// Kernel entry points reached through the scalar type's protocol witness table.
///
/// Ops are generic over `Scalar`; when the optimiser cannot specialise an op for the
/// caller's concrete type (it does not across modules unless cross-module optimisation
/// happens to serialise the op), a direct call to a generic kernel would run the unspecialised
/// loop, paying protocol-witness calls per element. Calling `Scalar.kernel...` instead
/// dispatches once per call to `Float`'s or `Double`'s witness, which the compiler builds
/// from the default implementation below specialised for that type: the loop is always
/// concrete. Measured on the GRU kernels: about 25% of the step time went to value-witness
/// copies before this.
package protocol KernelDispatch {
    /// See `Kernels.gruForward`.
    static func kernelGRUForward(
        _ shape: Kernels.GRUShape, gi: UnsafeBufferPointer<Self>, h0: UnsafeBufferPointer<Self>,
        weightHH: UnsafeBufferPointer<Self>, biasHH: UnsafeBufferPointer<Self>,
        out: UnsafeMutableBufferPointer<Self>, saved: UnsafeMutableBufferPointer<Self>)

    /// See `Kernels.gruBackward`.
    static func kernelGRUBackward(
        _ shape: Kernels.GRUShape, upstream: UnsafeBufferPointer<Self>, h0: UnsafeBufferPointer<Self>,
        weightHH: UnsafeBufferPointer<Self>, out: UnsafeBufferPointer<Self>, saved: UnsafeBufferPointer<Self>,
        dgi: UnsafeMutableBufferPointer<Self>, dh0: UnsafeMutableBufferPointer<Self>,
        dWeight: UnsafeMutableBufferPointer<Self>, dBias: UnsafeMutableBufferPointer<Self>)

    /// See `Kernels.sigmoidInPlace`; `Float` has its own, vectorised one.
    static func kernelSigmoidInPlace(_ x: UnsafeMutableBufferPointer<Self>)

    /// `out[i] = tanh(x[i])`: the C library's by default; `Float` has its own, vectorised one.
    static func kernelTanh(_ x: UnsafeBufferPointer<Self>, _ out: UnsafeMutableBufferPointer<Self>)

    /// The correctly rounded square root, the same bits as `squareRoot()`, in a form the loop
    /// vectoriser can widen (`Kernels+SquareRoot.swift`).
    static func vectorizableSquareRoot(_ x: Self) -> Self

    /// See `Kernels.adam` (reached from the `Optimizers` module, whose own generic loop would
    /// otherwise not see the lanes specialised).
    static func kernelAdam(
        _ parameter: UnsafeMutableBufferPointer<Self>, gradient: UnsafeBufferPointer<Self>,
        first: UnsafeMutableBufferPointer<Self>, second: UnsafeMutableBufferPointer<Self>, step: Kernels.AdamStep<Self>)
}

extension KernelDispatch where Self: TensorScalar {
    package static func kernelAdam(
        _ parameter: UnsafeMutableBufferPointer<Self>, gradient: UnsafeBufferPointer<Self>,
        first: UnsafeMutableBufferPointer<Self>, second: UnsafeMutableBufferPointer<Self>, step: Kernels.AdamStep<Self>
    ) {
        Kernels.adam(parameter, gradient: gradient, first: first, second: second, step: step)
    }

    package static func kernelSigmoidInPlace(_ x: UnsafeMutableBufferPointer<Self>) {
        Kernels.sigmoidInPlace(x)
    }

    package static func kernelTanh(_ x: UnsafeBufferPointer<Self>, _ out: UnsafeMutableBufferPointer<Self>) {
        for i in 0..<x.count { out[i] = Self.tanh(x[i]) }
    }

    package static func kernelGRUForward(
        _ shape: Kernels.GRUShape, gi: UnsafeBufferPointer<Self>, h0: UnsafeBufferPointer<Self>,
        weightHH: UnsafeBufferPointer<Self>, biasHH: UnsafeBufferPointer<Self>,
        out: UnsafeMutableBufferPointer<Self>, saved: UnsafeMutableBufferPointer<Self>
    ) {
        Kernels.gruForward(shape, gi: gi, h0: h0, weightHH: weightHH, biasHH: biasHH, out: out, saved: saved)
    }

    package static func kernelGRUBackward(
        _ shape: Kernels.GRUShape, upstream: UnsafeBufferPointer<Self>, h0: UnsafeBufferPointer<Self>,
        weightHH: UnsafeBufferPointer<Self>, out: UnsafeBufferPointer<Self>, saved: UnsafeBufferPointer<Self>,
        dgi: UnsafeMutableBufferPointer<Self>, dh0: UnsafeMutableBufferPointer<Self>,
        dWeight: UnsafeMutableBufferPointer<Self>, dBias: UnsafeMutableBufferPointer<Self>
    ) {
        Kernels.gruBackward(
            shape, upstream: upstream, h0: h0, weightHH: weightHH, out: out, saved: saved,
            dgi: dgi, dh0: dh0, dWeight: dWeight, dBias: dBias)
    }
}

extension Float {
    /// The sigmoid of every element in place, with `exponentOfNonPositive` instead of the C
    /// library's `expf`: the loop vectorises (measured: `expf` was 15-19% of a GRU step).
    package static func kernelSigmoidInPlace(_ x: UnsafeMutableBufferPointer<Float>) {
        for i in 0..<x.count {
            let v = x[i]
            let e = Float.exponentOfNonPositive(-Swift.abs(v))
            let reciprocal = 1 / (1 + e)
            x[i] = v >= 0 ? reciprocal : e * reciprocal
        }
    }
}

extension Float {
    /// `tanh` of every element without the C library's `tanhf` (measured: `tanhf` and the
    /// `expm1f` it calls were 18% of a default training run), in plain arithmetic so the loop
    /// vectorises. For `|x| < 0.4` the odd Taylor polynomial to `x^13` (truncation below 4e-9
    /// relative); above, `(1 - e) / (1 + e)` with `e = exp(-2|x|)` (`exponentOfNonPositive`),
    /// where `1 - e > 0.55` cannot cancel. Within a few units in the last place of `tanh`
    /// (tested against `Double`'s on a grid); NaN stays NaN.
    package static func kernelTanh(_ x: UnsafeBufferPointer<Float>, _ out: UnsafeMutableBufferPointer<Float>) {
        for i in 0..<x.count {
            let v = x[i]
            let a = Swift.abs(v)
            let s = a * a
            var p: Float = 21_844.0 / 6_081_075.0
            p = p * s - 1_382.0 / 155_925.0
            p = p * s + 62.0 / 2_835.0
            p = p * s - 17.0 / 315.0
            p = p * s + 2.0 / 15.0
            p = p * s - 1.0 / 3.0
            let small = a + a * s * p
            let e = Float.exponentOfNonPositive(-2 * a)
            let large = (1 - e) / (1 + e)
            let magnitude = a < 0.4 ? small : large
            out[i] = v.isNaN ? v : (v < 0 ? -magnitude : magnitude)
        }
    }
}
