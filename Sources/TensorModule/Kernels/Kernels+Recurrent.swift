import RealModule

/// The fused GRU sequence (PyTorch's equations, gate order r, z, n), forward and
/// backward-through-time. Shape legend: B batch, T steps, H hidden.
///
///     gh = h W_hh^T + b_hh;  r = s(gi_r + gh_r);  z = s(gi_z + gh_z)
///     n = tanh(gi_n + r * gh_n);  h' = n + z * (h - n)
///
/// `gi` `[B, T, 3H]` is the input projection of every step; hidden states are written to
/// `out` `[B, T, H]`, whose step-t rows are read back in place as the next step's state
/// (leading dimension T*H), so no step copies anything. `saved` `[4, T, B, H]` keeps r, z,
/// n and gh_n for the backward pass.
extension Kernels {
    package struct GRUShape {
        let batch: Int, length: Int, hidden: Int
        var gates: Int { 3 * hidden }
        /// Elements in one of the four saved `[T, B, H]` blocks.
        var block: Int { length * batch * hidden }
    }

    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func gruForward<S: TensorScalar>(
        _ shape: GRUShape, gi: UnsafeBufferPointer<S>, h0: UnsafeBufferPointer<S>,
        weightHH: UnsafeBufferPointer<S>, biasHH: UnsafeBufferPointer<S>,
        out: UnsafeMutableBufferPointer<S>, saved: UnsafeMutableBufferPointer<S>
    ) {
        let (B, T, H, G) = (shape.batch, shape.length, shape.hidden, shape.gates)
        // Per step: gh = b_hh + h W_hh^T; then simple loops over [B, 2H] and [B, H] buffers
        // so the gate non-linearities run as whole-buffer (vectorised) passes.
        let gh = UnsafeMutableBufferPointer<S>.allocate(capacity: B * G)
        let resetUpdate = UnsafeMutableBufferPointer<S>.allocate(capacity: B * 2 * H)
        let candidate = UnsafeMutableBufferPointer<S>.allocate(capacity: B * H)
        defer {
            gh.deallocate()
            resetUpdate.deallocate()
            candidate.deallocate()
        }
        for t in 0..<T {
            let (previous, previousStride) =
                t == 0 ? (h0.baseAddress!, H) : (UnsafePointer(out.baseAddress! + (t - 1) * H), T * H)
            fillRows(gh.baseAddress!, rows: B, with: biasHH)
            gemm(
                previous, lda: previousStride, transposeA: false, weightHH.baseAddress!, ldb: H, transposeB: true,
                gh.baseAddress!, ldc: G, m: B, n: G, k: H, beta: 1)
            for b in 0..<B {
                let x = (b * T + t) * G
                for j in 0..<(2 * H) { resetUpdate[b * 2 * H + j] = gi[x + j] + gh[b * G + j] }
            }
            S.kernelSigmoidInPlace(resetUpdate)
            // tanh(a) = 2 sigmoid(2a) - 1.
            for b in 0..<B {
                let x = (b * T + t) * G
                for j in 0..<H {
                    candidate[b * H + j] = 2 * (gi[x + 2 * H + j] + resetUpdate[b * 2 * H + j] * gh[b * G + 2 * H + j])
                }
            }
            S.kernelSigmoidInPlace(candidate)
            for b in 0..<B {
                let hRow = previous + b * previousStride
                let s = (t * B + b) * H
                let o = (b * T + t) * H
                for j in 0..<H {
                    let r = resetUpdate[b * 2 * H + j]
                    let z = resetUpdate[b * 2 * H + H + j]
                    let n = 2 * candidate[b * H + j] - 1
                    out[o + j] = n + z * (hRow[j] - n)
                    saved[s + j] = r
                    saved[shape.block + s + j] = z
                    saved[2 * shape.block + s + j] = n
                    saved[3 * shape.block + s + j] = gh[b * G + 2 * H + j]
                }
            }
        }
    }

    /// Backward through time. `upstream` `[B, T, H]` is the gradient of every output state;
    /// writes `dgi` `[B, T, 3H]` and `dh0` `[B, H]`, and accumulates into `dWeight`
    /// `[3H, H]` and `dBias` `[3H]` (zeroed by the caller).
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func gruBackward<S: TensorScalar>(
        _ shape: GRUShape, upstream: UnsafeBufferPointer<S>, h0: UnsafeBufferPointer<S>,
        weightHH: UnsafeBufferPointer<S>, out: UnsafeBufferPointer<S>, saved: UnsafeBufferPointer<S>,
        dgi: UnsafeMutableBufferPointer<S>, dh0: UnsafeMutableBufferPointer<S>,
        dWeight: UnsafeMutableBufferPointer<S>, dBias: UnsafeMutableBufferPointer<S>
    ) {
        let (B, T, H, G) = (shape.batch, shape.length, shape.hidden, shape.gates)
        let dh = dh0
        for i in 0..<(B * H) { dh[i] = 0 }
        let dgh = UnsafeMutableBufferPointer<S>.allocate(capacity: B * G)
        defer { dgh.deallocate() }
        for t in stride(from: T - 1, through: 0, by: -1) {
            let (previous, previousStride) = t == 0 ? (h0.baseAddress!, H) : (out.baseAddress! + (t - 1) * H, T * H)
            for b in 0..<B {
                let x = (b * T + t) * G
                let hRow = previous + b * previousStride
                let s = (t * B + b) * H
                let o = (b * T + t) * H
                for j in 0..<H {
                    let r = saved[s + j]
                    let z = saved[shape.block + s + j]
                    let n = saved[2 * shape.block + s + j]
                    let ghn = saved[3 * shape.block + s + j]
                    let total = dh[b * H + j] + upstream[o + j]
                    let dn = total * (1 - z)
                    let dz = total * (hRow[j] - n)
                    let dan = dn * (1 - n * n)
                    let dar = dan * ghn * r * (1 - r)
                    let daz = dz * z * (1 - z)
                    dgi[x + j] = dar
                    dgi[x + H + j] = daz
                    dgi[x + 2 * H + j] = dan
                    dgh[b * G + j] = dar
                    dgh[b * G + H + j] = daz
                    dgh[b * G + 2 * H + j] = dan * r
                    dh[b * H + j] = total * z
                }
            }
            for b in 0..<B {
                for k in 0..<G { dBias[k] += dgh[b * G + k] }
            }
            // dW_hh += dgh^T h_prev;  dh_prev += dgh W_hh.
            gemm(
                UnsafePointer(dgh.baseAddress!), lda: G, transposeA: true, previous, ldb: previousStride, transposeB: false,
                dWeight.baseAddress!, ldc: H, m: G, n: H, k: B, beta: 1)
            gemm(
                UnsafePointer(dgh.baseAddress!), lda: G, transposeA: false, weightHH.baseAddress!, ldb: H, transposeB: false,
                dh.baseAddress!, ldc: H, m: B, n: H, k: G, beta: 1)
        }
    }
}
