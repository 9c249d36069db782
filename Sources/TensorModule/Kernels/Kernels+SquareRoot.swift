import CVectorMath

// On Linux `squareRoot()` is a call of the C library's `sqrtf` / `sqrt` under errno rules,
// which keeps any loop that takes one on a single element at a time; these go through
// `CVectorMath.h`'s inline IEEE square roots, which the loop vectoriser widens. Same bits.

extension Float {
    /// `x.squareRoot()`, vectorisable (see `KernelDispatch.vectorizableSquareRoot`).
    @inline(__always)
    package static func vectorizableSquareRoot(_ x: Float) -> Float { regimen_sqrtf(x) }
}

extension Double {
    /// `x.squareRoot()`, vectorisable (see `KernelDispatch.vectorizableSquareRoot`).
    @inline(__always)
    package static func vectorizableSquareRoot(_ x: Double) -> Double { regimen_sqrt(x) }
}
