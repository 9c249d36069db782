import Dispatch
import LinearAlgebra
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

    /// The fewest batch rows in a part: a batch under twice this runs as one part.
    static let gruRowsPerPart = 32

    /// The most parts a batch is split into.
    static let gruMaximumParts = 2

    /// Runs `body` on contiguous parts of `0..<batch`: `min(2, batch / 32)` parts, a number
    /// that depends on the batch alone, so the bytes never depend on the thread count. The
    /// parts run in parallel when the BLAS thread count (`BLASThreads.available`) is above 1,
    /// with OpenBLAS held to one thread meanwhile (each part's products are small; two parts
    /// on two cores beat one product on two threads, whose hand-over costs a
    /// synchronisation per step), and one after another otherwise. The rows of a GRU
    /// sequence are independent through time, so the parts never meet until the weight
    /// gradient, and each row's arithmetic is the same whatever the split (tested).
    static func inBatchParts(_ batch: Int, _ body: (Range<Int>) -> Void) {
        let parts = min(gruMaximumParts, batch / gruRowsPerPart)
        guard parts > 1 else { return body(0..<batch) }
        let ranges = (0..<parts).map { part in part * batch / parts..<(part + 1) * batch / parts }
        guard BLASThreads.available > 1 else { return ranges.forEach(body) }
        BLASThreads.singleThreaded {
            withoutActuallyEscaping(body) { body in
                let body = UncheckedSendable(body)
                DispatchQueue.concurrentPerform(iterations: parts) { part in body.value(ranges[part]) }
            }
        }
    }

    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func gruForward<S: TensorScalar>(
        _ shape: GRUShape, gi: UnsafeBufferPointer<S>, h0: UnsafeBufferPointer<S>,
        weightHH: UnsafeBufferPointer<S>, biasHH: UnsafeBufferPointer<S>,
        out: UnsafeMutableBufferPointer<S>, saved: UnsafeMutableBufferPointer<S>
    ) {
        // W_hh^T `[H, 3H]` once, so every step's product is a plain `h W` (OpenBLAS packs a
        // transposed operand anew on every call; measured 7.6% of a GRU training step).
        let (H, G) = (shape.hidden, shape.gates)
        let transposed = UnsafeMutableBufferPointer<S>.allocate(capacity: H * G)
        defer { transposed.deallocate() }
        for g in 0..<G {
            for h in 0..<H { transposed[h * G + g] = weightHH[g * H + h] }
        }
        inBatchParts(shape.batch) { rows in
            gruForward(
                shape, rows: rows, gi: gi, h0: h0, weightHHTransposed: UnsafeBufferPointer(transposed), biasHH: biasHH,
                out: out, saved: saved)
        }
    }

    /// The forward recurrence of batch rows `rows` only, given `W_hh^T` `[H, 3H]`.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func gruForward<S: TensorScalar>(
        _ shape: GRUShape, rows: Range<Int>, gi: UnsafeBufferPointer<S>, h0: UnsafeBufferPointer<S>,
        weightHHTransposed: UnsafeBufferPointer<S>, biasHH: UnsafeBufferPointer<S>,
        out: UnsafeMutableBufferPointer<S>, saved: UnsafeMutableBufferPointer<S>
    ) {
        let (B, T, H, G) = (shape.batch, shape.length, shape.hidden, shape.gates)
        let R = rows.count
        // Per step: gh = b_hh + h W_hh^T; then simple loops over [R, 2H] and [R, H] buffers
        // so the gate non-linearities run as whole-buffer (vectorised) passes.
        let gh = UnsafeMutableBufferPointer<S>.allocate(capacity: R * G)
        let resetUpdate = UnsafeMutableBufferPointer<S>.allocate(capacity: R * 2 * H)
        let candidate = UnsafeMutableBufferPointer<S>.allocate(capacity: R * H)
        defer {
            gh.deallocate()
            resetUpdate.deallocate()
            candidate.deallocate()
        }
        for t in 0..<T {
            let (previous, previousStride) =
                t == 0
                ? (h0.baseAddress! + rows.lowerBound * H, H)
                : (UnsafePointer(out.baseAddress! + (rows.lowerBound * T + t - 1) * H), T * H)
            fillRows(gh.baseAddress!, rows: R, with: biasHH)
            gemm(
                previous, lda: previousStride, transposeA: false, weightHHTransposed.baseAddress!, ldb: G,
                transposeB: false, gh.baseAddress!, ldc: G, m: R, n: G, k: H, beta: 1)
            // Row pointers, so the inner loops index without overflow checks and vectorise.
            for i in 0..<R {
                let (input, hidden) = (gi.baseAddress! + ((rows.lowerBound + i) * T + t) * G, gh.baseAddress! + i * G)
                let target = resetUpdate.baseAddress! + i * 2 * H
                for j in 0..<(2 * H) { target[j] = input[j] + hidden[j] }
            }
            S.kernelSigmoidInPlace(resetUpdate)
            // tanh(a) = 2 sigmoid(2a) - 1.
            for i in 0..<R {
                let input = gi.baseAddress! + ((rows.lowerBound + i) * T + t) * G + 2 * H
                let (reset, hidden) = (resetUpdate.baseAddress! + i * 2 * H, gh.baseAddress! + i * G + 2 * H)
                let target = candidate.baseAddress! + i * H
                for j in 0..<H { target[j] = 2 * (input[j] + reset[j] * hidden[j]) }
            }
            S.kernelSigmoidInPlace(candidate)
            for i in 0..<R {
                let b = rows.lowerBound + i
                let hRow = previous + i * previousStride
                let s = (t * B + b) * H
                let o = (b * T + t) * H
                let (gates, candidates) = (resetUpdate.baseAddress! + i * 2 * H, candidate.baseAddress! + i * H)
                let ghn = gh.baseAddress! + i * G + 2 * H
                for j in stride(from: 0, to: H, by: 8) {
                    let c = Swift.min(8, H - j)
                    let r = lanes(gates + j, c)
                    let z = lanes(gates + H + j, c)
                    let n = 2 * lanes(candidates + j, c) - 1
                    store(n + z * (lanes(hRow + j, c) - n), to: out.baseAddress! + o + j, c)
                    store(r, to: saved.baseAddress! + s + j, c)
                    store(z, to: saved.baseAddress! + shape.block + s + j, c)
                    store(n, to: saved.baseAddress! + 2 * shape.block + s + j, c)
                    store(lanes(ghn + j, c), to: saved.baseAddress! + 3 * shape.block + s + j, c)
                }
            }
        }
    }

    /// Backward through time. `upstream` `[B, T, H]` is the gradient of every output state;
    /// writes `dgi` `[B, T, 3H]` and `dh0` `[B, H]`, and accumulates into `dWeight`
    /// `[3H, H]` and `dBias` `[3H]` (zeroed by the caller).
    ///
    /// The recurrence (the state gradient carried back through `W_hh`) runs per part of the
    /// batch; the weight and bias gradients, sums over every step and row, are one product
    /// after it: `dW_hh += dGH^T H_prev` with `dGH` `[T*B, 3H]` the gate gradients of all
    /// steps and `H_prev` `[T*B, H]` the states they were applied to (one product of depth
    /// T*B instead of T products of depth B), the bias gradient its extra column.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func gruBackward<S: TensorScalar>(
        _ shape: GRUShape, upstream: UnsafeBufferPointer<S>, h0: UnsafeBufferPointer<S>,
        weightHH: UnsafeBufferPointer<S>, out: UnsafeBufferPointer<S>, saved: UnsafeBufferPointer<S>,
        dgi: UnsafeMutableBufferPointer<S>, dh0: UnsafeMutableBufferPointer<S>,
        dWeight: UnsafeMutableBufferPointer<S>, dBias: UnsafeMutableBufferPointer<S>
    ) {
        let (B, T, H, G) = (shape.batch, shape.length, shape.hidden, shape.gates)
        let gateGradients = UnsafeMutableBufferPointer<S>.allocate(capacity: T * B * G)
        let previousStates = UnsafeMutableBufferPointer<S>.allocate(capacity: T * B * (H + 1))
        let sums = UnsafeMutableBufferPointer<S>.allocate(capacity: G * (H + 1))
        defer {
            gateGradients.deallocate()
            previousStates.deallocate()
            sums.deallocate()
        }
        inBatchParts(B) { rows in
            gruBackward(
                shape, rows: rows, upstream: upstream, h0: h0, weightHH: weightHH, out: out, saved: saved,
                dgi: dgi, dh0: dh0, gateGradients: gateGradients, previousStates: previousStates)
        }
        // [dW_hh | db_hh] = dGH^T [H_prev | 1]: the bias gradient is the product's last column
        // (a separate column-sum pass over dGH cost 3.7% of a training step).
        gemm(
            UnsafePointer(gateGradients.baseAddress!), lda: G, transposeA: true,
            UnsafePointer(previousStates.baseAddress!), ldb: H + 1, transposeB: false,
            sums.baseAddress!, ldc: H + 1, m: G, n: H + 1, k: T * B)
        for g in 0..<G {
            for h in 0..<H { dWeight[g * H + h] += sums[g * (H + 1) + h] }
            dBias[g] += sums[g * (H + 1) + H]
        }
    }

    /// The backward recurrence of batch rows `rows`: writes their `dgi` and `dh0` rows, and
    /// their rows of `gateGradients` `[T, B, 3H]` and `previousStates` `[T, B, H + 1]` (each
    /// state followed by a 1, for the bias gradient).
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func gruBackward<S: TensorScalar>(
        _ shape: GRUShape, rows: Range<Int>, upstream: UnsafeBufferPointer<S>, h0: UnsafeBufferPointer<S>,
        weightHH: UnsafeBufferPointer<S>, out: UnsafeBufferPointer<S>, saved: UnsafeBufferPointer<S>,
        dgi: UnsafeMutableBufferPointer<S>, dh0: UnsafeMutableBufferPointer<S>,
        gateGradients: UnsafeMutableBufferPointer<S>, previousStates: UnsafeMutableBufferPointer<S>
    ) {
        let (B, T, H, G) = (shape.batch, shape.length, shape.hidden, shape.gates)
        let R = rows.count
        let dh = dh0.baseAddress! + rows.lowerBound * H
        for i in 0..<(R * H) { dh[i] = 0 }
        for t in stride(from: T - 1, through: 0, by: -1) {
            let (previous, previousStride) =
                t == 0
                ? (h0.baseAddress! + rows.lowerBound * H, H)
                : (out.baseAddress! + (rows.lowerBound * T + t - 1) * H, T * H)
            let dgh = gateGradients.baseAddress! + (t * B + rows.lowerBound) * G
            for i in 0..<R {
                let b = rows.lowerBound + i
                let x = (b * T + t) * G
                let hRow = previous + i * previousStride
                let s = (t * B + b) * H
                let o = (b * T + t) * H
                let p = (t * B + b) * (H + 1)
                let saved = saved.baseAddress!
                for j in stride(from: 0, to: H, by: 8) {
                    let c = Swift.min(8, H - j)
                    let r = lanes(saved + s + j, c)
                    let z = lanes(saved + shape.block + s + j, c)
                    let n = lanes(saved + 2 * shape.block + s + j, c)
                    let ghn = lanes(saved + 3 * shape.block + s + j, c)
                    let state = lanes(hRow + j, c)
                    let total = lanes(dh + i * H + j, c) + lanes(upstream.baseAddress! + o + j, c)
                    let dn = total * (1 - z)
                    let dz = total * (state - n)
                    let dan = dn * (1 - n * n)
                    let dar = dan * ghn * r * (1 - r)
                    let daz = dz * z * (1 - z)
                    store(dar, to: dgi.baseAddress! + x + j, c)
                    store(daz, to: dgi.baseAddress! + x + H + j, c)
                    store(dan, to: dgi.baseAddress! + x + 2 * H + j, c)
                    store(dar, to: dgh + i * G + j, c)
                    store(daz, to: dgh + i * G + H + j, c)
                    store(dan * r, to: dgh + i * G + 2 * H + j, c)
                    store(total * z, to: dh + i * H + j, c)
                    store(state, to: previousStates.baseAddress! + p + j, c)
                }
                previousStates[p + H] = 1
            }
            // dh_prev += dgh W_hh.
            gemm(
                UnsafePointer(dgh), lda: G, transposeA: false, weightHH.baseAddress!, ldb: H, transposeB: false,
                dh, ldc: H, m: R, n: H, k: G, beta: 1)
        }
    }
}

/// A value handed to `concurrentPerform`'s workers, which only read it.
private struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
