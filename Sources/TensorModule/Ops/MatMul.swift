/// Matrix products through BLAS `gemm`, with transpose flags instead of copies.
///
/// Shapes: `op(A)` is `[M, K]`, `op(B)` is `[K, N]`, result `[M, N]`; batched forms add a
/// leading batch axis `[P, ...]` to both, or to `A` only (then `B` is shared by every batch).
extension Tensor {
    /// `op(lhs) · op(rhs)` where `op` transposes the last two axes when its flag is set.
    ///
    /// Backward (for `C = op(A) op(B)`, `G = dC`): `dop(A) = G op(B)^T`, `dop(B) = op(A)^T G`,
    /// each computed as one more `gemm` with flags chosen so nothing is copied.
    /// - Precondition: ranks 2x2, 3x3 (same batch) or 3x2; inner extents agree.
    @_specialize(where Scalar == Float)
    package static func matmul(
        _ lhs: Tensor, _ rhs: Tensor, transposingLHS: Bool = false, transposingRHS: Bool = false
    ) -> Tensor {
        if lhs.rank == 3 && rhs.rank == 2 && !transposingLHS {
            // A batch of rows times one shared matrix: one large gemm on [P*M, K].
            let (p, m, k) = (lhs.shape[0], lhs.shape[1], lhs.shape[2])
            let flat = matmul(lhs.reshaped([p * m, k]), rhs, transposingRHS: transposingRHS)
            return flat.reshaped([p, m, flat.shape[1]])
        }
        let describe = "matmul: shapes \(lhs.shape)\(transposingLHS ? "^T" : "") and \(rhs.shape)\(transposingRHS ? "^T" : "")"
        precondition(
            (lhs.rank == 2 && rhs.rank == 2) || (lhs.rank == 3 && rhs.rank == 3 && lhs.shape[0] == rhs.shape[0]),
            "\(describe) are not two matrices or two equal batches of matrices")
        let batched = lhs.rank == 3
        let batch = batched ? lhs.shape[0] : 1
        let (lr, lc) = (lhs.shape[lhs.rank - 2], lhs.shape[lhs.rank - 1])
        let (rr, rc) = (rhs.shape[rhs.rank - 2], rhs.shape[rhs.rank - 1])
        let (m, k) = transposingLHS ? (lc, lr) : (lr, lc)
        let (k2, n) = transposingRHS ? (rc, rr) : (rr, rc)
        precondition(k == k2, "\(describe) have inner extents \(k) and \(k2) that differ")
        let outShape = batched ? [batch, m, n] : [m, n]
        let scalars = [Scalar].uninitialized(count: batch * m * n) { out in
            lhs.withUnsafeBufferPointer { a in
                rhs.withUnsafeBufferPointer { b in
                    for p in 0..<batch {
                        Kernels.gemm(
                            a.baseAddress! + p * lr * lc, lda: lc, transposeA: transposingLHS,
                            b.baseAddress! + p * rr * rc, ldb: rc, transposeB: transposingRHS,
                            out.baseAddress! + p * m * n, ldc: n, m: m, n: n, k: k)
                    }
                }
            }
        }
        let (a, b) = (lhs.detached, rhs.detached)
        let (lhsNeeds, rhsNeeds) = (lhs.requiresGradient, rhs.requiresGradient)
        return result("matmul", shape: outShape, scalars: scalars, inputs: [lhs, rhs]) { g in
            let lhsGradient: Tensor? =
                !lhsNeeds
                ? nil
                : transposingLHS
                    ? matmul(b, g, transposingLHS: transposingRHS, transposingRHS: true)
                    : matmul(g, b, transposingRHS: !transposingRHS)
            let rhsGradient: Tensor? =
                !rhsNeeds
                ? nil
                : transposingRHS
                    ? matmul(g, a, transposingLHS: true, transposingRHS: transposingLHS)
                    : matmul(a, g, transposingLHS: !transposingLHS)
            return [lhsGradient, rhsGradient]
        }
    }
}
