import RealModule

extension Kernels {
    /// The logistic sigmoid of every element, in place, computed stably from
    /// `e = exp(-|x|)`: `1 / (1 + e)` for `x >= 0`, else `e / (1 + e)`. Uses the C library's
    /// `exp`; `Float` overrides this with a vectorisable version (`Float+Sigmoid.swift`).
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func sigmoidInPlace<S: TensorScalar>(_ x: UnsafeMutableBufferPointer<S>) {
        for i in 0..<x.count {
            let v = x[i]
            let e = S.exp(-Swift.abs(v))
            x[i] = v >= 0 ? 1 / (1 + e) : e / (1 + e)
        }
    }
}

extension Float {
    /// `exp(x)` for `x <= 0` by Cephes' `expf` reduction and polynomial (relative error about
    /// 1e-7, one unit in the last place), in plain arithmetic so that loops over it vectorise.
    /// Inputs below -87.3 return about 1.2e-38 instead of an underflow to 0.
    @inline(__always)
    static func exponentOfNonPositive(_ value: Float) -> Float {
        let x = Swift.max(value, -87.3)
        let n = (x * 1.442_695_04 + 0.5).rounded(.down)
        let r = x - n * 0.693_359_375 + n * 2.121_944_4e-4
        var y: Float = 1.987_569_15e-4
        y = y * r + 1.398_199_95e-3
        y = y * r + 8.333_451_9e-3
        y = y * r + 4.166_579_59e-2
        y = y * r + 1.666_666_55e-1
        y = y * r + 5.000_000_12e-1
        y = y * (r * r) + r + 1
        // 2^n without a (trapping, hence unvectorisable) Float-to-Int conversion: adding
        // 1.5 * 2^23 leaves the integer n + 127 in the low mantissa bits.
        let biased = (n + 127 + 12_582_912).bitPattern & 0x7F_FFFF
        return y * Float(bitPattern: biased << 23)
    }
}
