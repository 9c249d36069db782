import LinearAlgebra

extension Kernels {
    /// `C = alpha op(A) op(B) + beta C` on row-major memory with explicit leading dimensions
    /// (row strides), so strided rows (one time step of a `[B, T, H]` tensor) need no copy.
    /// Shapes: op(A) `[m, k]`, op(B) `[k, n]`, C `[m, n]`.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func gemm<S: TensorScalar>(
        _ a: UnsafePointer<S>, lda: Int, transposeA: Bool,
        _ b: UnsafePointer<S>, ldb: Int, transposeB: Bool,
        _ c: UnsafeMutablePointer<S>, ldc: Int, m: Int, n: Int, k: Int, beta: S = 0
    ) {
        guard m > 0 && n > 0 else { return }
        if k == 0 {
            if beta == 0 {
                for row in 0..<m { (c + row * ldc).update(repeating: 0, count: n) }
            }
            return
        }
        S.gemm(
            Transpose(transposeA), Transpose(transposeB), m: m, n: n, k: k, alpha: 1,
            a: a, lda: max(lda, 1), b: b, ldb: max(ldb, 1), beta: beta, c: c, ldc: max(ldc, 1))
    }

    /// Copies `bias` `[n]` into each of the `rows` rows of `out` `[rows, n]` (the starting
    /// value of a `gemm` with `beta = 1`, which fuses the bias add into the product).
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func fillRows<S: TensorScalar>(_ out: UnsafeMutablePointer<S>, rows: Int, with bias: UnsafeBufferPointer<S>) {
        let n = bias.count
        for row in 0..<rows {
            (out + row * n).update(from: bias.baseAddress!, count: n)
        }
    }

    /// `out[j] = sum_rows x[row, j]` for `x` `[rows, n]` (a bias gradient).
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func columnSums<S: TensorScalar>(_ x: UnsafeBufferPointer<S>, rows: Int, _ out: UnsafeMutableBufferPointer<S>) {
        let n = out.count
        for j in 0..<n { out[j] = 0 }
        // Eight columns at a time (`lanes`): the same additions, row after row, per column.
        for row in 0..<rows {
            let source = x.baseAddress! + row * n
            for j in stride(from: 0, to: n, by: 8) {
                let c = Swift.min(8, n - j)
                store(lanes(out.baseAddress! + j, c) + lanes(source + j, c), to: out.baseAddress! + j, c)
            }
        }
    }
}
