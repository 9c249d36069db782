import CBLAS

/// A floating-point type that BLAS computes with (`Float` -> `s` routines, `Double` -> `d`).
///
/// All matrices are row-major and contiguous; `leading` dimensions are row strides.
package protocol BLASScalar: BinaryFloatingPoint, Sendable {
    /// `C = alpha * op(A) * op(B) + beta * C` (`cblas_?gemm`, row-major), on one thread
    /// when the product is small (see `BLASThreads`).
    ///
    /// Shapes: op(A) is M x K, op(B) is K x N, C is M x N. `lda`, `ldb`, `ldc` are the row
    /// strides of A, B, C as stored.
    static func gemm(
        _ transposeA: Transpose, _ transposeB: Transpose,
        m: Int, n: Int, k: Int, alpha: Self,
        a: UnsafePointer<Self>, lda: Int,
        b: UnsafePointer<Self>, ldb: Int,
        beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)

    /// `y = alpha * x + y` over `count` elements (`cblas_?axpy`, unit strides).
    static func axpy(count: Int, alpha: Self, x: UnsafePointer<Self>, y: UnsafeMutablePointer<Self>)

    /// The dot product of two contiguous vectors (`cblas_?dot`).
    static func dot(count: Int, _ x: UnsafePointer<Self>, _ y: UnsafePointer<Self>) -> Self
}

extension Float: BLASScalar {
    package static func gemm(
        _ transposeA: Transpose, _ transposeB: Transpose,
        m: Int, n: Int, k: Int, alpha: Float,
        a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        BLASThreads.withThreads(m: m, n: n, k: k) {
            cblas_sgemm(
                CblasRowMajor, transposeA.cblas, transposeB.cblas, blasint(m), blasint(n), blasint(k),
                alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
        }
    }

    package static func axpy(count: Int, alpha: Float, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
        cblas_saxpy(blasint(count), alpha, x, 1, y, 1)
    }

    package static func dot(count: Int, _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>) -> Float {
        cblas_sdot(blasint(count), x, 1, y, 1)
    }
}

extension Double: BLASScalar {
    package static func gemm(
        _ transposeA: Transpose, _ transposeB: Transpose,
        m: Int, n: Int, k: Int, alpha: Double,
        a: UnsafePointer<Double>, lda: Int,
        b: UnsafePointer<Double>, ldb: Int,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        BLASThreads.withThreads(m: m, n: n, k: k) {
            cblas_dgemm(
                CblasRowMajor, transposeA.cblas, transposeB.cblas, blasint(m), blasint(n), blasint(k),
                alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
        }
    }

    package static func axpy(count: Int, alpha: Double, x: UnsafePointer<Double>, y: UnsafeMutablePointer<Double>) {
        cblas_daxpy(blasint(count), alpha, x, 1, y, 1)
    }

    package static func dot(count: Int, _ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>) -> Double {
        cblas_ddot(blasint(count), x, 1, y, 1)
    }
}
