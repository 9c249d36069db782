/// Eight elements at a time, for element-wise loops the compiler leaves scalar: a loop that
/// reads and writes through many pointers (the GRU's gate arithmetic touches up to 13) is
/// not vectorised, because proving that many pointers apart at run time costs more checks
/// than the optimiser allows (measured: the GRU backward loop compiled to scalar `mulss`).
/// Written with `SIMD8`, the same formula runs on whole vectors; each lane does exactly the
/// scalar arithmetic, in the same order, so the results are the same bits.
extension Kernels {
    /// Elements `p[0 ..< count]` (`count <= 8`) in the first lanes, zeros after.
    @inline(__always)
    static func lanes<S: TensorScalar>(_ p: UnsafePointer<S>, _ count: Int) -> SIMD8<S> {
        if count == 8 { return UnsafeRawPointer(p).loadUnaligned(as: SIMD8<S>.self) }
        var value = SIMD8<S>(repeating: 0)
        for lane in 0..<count { value[lane] = p[lane] }
        return value
    }

    /// Writes the first `count` lanes (`count <= 8`) of `value` to `p[0 ..< count]`.
    @inline(__always)
    static func store<S: TensorScalar>(_ value: SIMD8<S>, to p: UnsafeMutablePointer<S>, _ count: Int) {
        if count == 8 { return UnsafeMutableRawPointer(p).storeBytes(of: value, as: SIMD8<S>.self) }
        for lane in 0..<count { p[lane] = value[lane] }
    }
}
