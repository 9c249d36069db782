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

    /// `out[j] = sum_rows x[row, j]` for `x` `[rows, n]` (a bias gradient), each column added
    /// from 0 in row order. Thirty-two columns at a time in four eight-lane accumulators held
    /// in registers down the rows: accumulating into `out` row by row stored and reloaded
    /// every lane per row (about 3% of an MLP step at batch 256); the additions and their
    /// order are the same, so are the bits.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func columnSums<S: TensorScalar>(_ x: UnsafeBufferPointer<S>, rows: Int, _ out: UnsafeMutableBufferPointer<S>) {
        let n = out.count
        guard n > 0 else { return }
        let (source, target) = (x.baseAddress!, out.baseAddress!)
        var j = 0
        while j + 32 <= n {
            var (a, b, c, d) = (SIMD8<S>(), SIMD8<S>(), SIMD8<S>(), SIMD8<S>())
            for row in 0..<rows {
                let p = source + row * n + j
                a += lanes(p, 8)
                b += lanes(p + 8, 8)
                c += lanes(p + 16, 8)
                d += lanes(p + 24, 8)
            }
            (store(a, to: target + j, 8), store(b, to: target + j + 8, 8))
            (store(c, to: target + j + 16, 8), store(d, to: target + j + 24, 8))
            j += 32
        }
        while j < n {
            let width = Swift.min(8, n - j)
            var sum = SIMD8<S>()
            for row in 0..<rows { sum += lanes(source + row * n + j, width) }
            store(sum, to: target + j, width)
            j += width
        }
    }
}
