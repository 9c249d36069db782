import RealModule

/// Axis reductions view a tensor as `[outer, n, inner]`, with `n` the reduced axis.
extension Kernels {
    /// `out[o, i] = sum_j x[o, j, i]`.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func sumAlongAxis<S: TensorScalar>(
        _ x: UnsafeBufferPointer<S>, outer: Int, n: Int, inner: Int, _ out: UnsafeMutableBufferPointer<S>
    ) {
        for o in 0..<outer {
            let base = o * inner
            for i in 0..<inner { out[base + i] = 0 }
            for j in 0..<n {
                let row = (o * n + j) * inner
                for i in 0..<inner { out[base + i] += x[row + i] }
            }
        }
    }

    /// `out[o, i] = max_j x[o, j, i]` and the first `j` that attains it.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func maxAlongAxis<S: TensorScalar>(
        _ x: UnsafeBufferPointer<S>, outer: Int, n: Int, inner: Int,
        _ out: UnsafeMutableBufferPointer<S>, _ argmax: UnsafeMutableBufferPointer<Int>
    ) {
        for o in 0..<outer {
            for i in 0..<inner {
                var best = x[o * n * inner + i]
                var bestIndex = 0
                for j in 1..<max(n, 1) {
                    let v = x[(o * n + j) * inner + i]
                    if v > best || (v.isNaN && !best.isNaN) {
                        best = v
                        bestIndex = j
                    }
                }
                out[o * inner + i] = best
                argmax[o * inner + i] = bestIndex
            }
        }
    }

    /// Scatters `upstream[o, i]` into `out[o, argmax[o, i], i]`; `out` zeroed by the caller.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func scatterAlongAxis<S: TensorScalar>(
        _ upstream: UnsafeBufferPointer<S>, _ argmax: UnsafeBufferPointer<Int>,
        outer: Int, n: Int, inner: Int, _ out: UnsafeMutableBufferPointer<S>
    ) {
        for o in 0..<outer {
            for i in 0..<inner {
                out[(o * n + argmax[o * inner + i]) * inner + i] = upstream[o * inner + i]
            }
        }
    }

    /// Softmax (or log-softmax) along the middle axis of `[outer, n, inner]`, stably
    /// (the maximum is subtracted first).
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func softmax<S: TensorScalar>(
        _ x: UnsafeBufferPointer<S>, outer: Int, n: Int, inner: Int, logarithmic: Bool,
        _ out: UnsafeMutableBufferPointer<S>
    ) {
        for o in 0..<outer {
            for i in 0..<inner {
                let base = o * n * inner + i
                var maximum = -S.infinity
                for j in 0..<n { maximum = max(maximum, x[base + j * inner]) }
                var total: S = 0
                for j in 0..<n {
                    let e = S.exp(x[base + j * inner] - maximum)
                    out[base + j * inner] = e
                    total += e
                }
                if logarithmic {
                    let logTotal = S.log(total) + maximum
                    for j in 0..<n { out[base + j * inner] = x[base + j * inner] - logTotal }
                } else {
                    let reciprocal = 1 / total
                    for j in 0..<n { out[base + j * inner] *= reciprocal }
                }
            }
        }
    }

    /// Backward of softmax along the middle axis, from its output `y`:
    /// `dx = y * (g - sum_j g*y)`; for log-softmax `dx = g - exp(y) * sum_j g`.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func softmaxBackward<S: TensorScalar>(
        _ upstream: UnsafeBufferPointer<S>, _ y: UnsafeBufferPointer<S>,
        outer: Int, n: Int, inner: Int, logarithmic: Bool, _ out: UnsafeMutableBufferPointer<S>
    ) {
        for o in 0..<outer {
            for i in 0..<inner {
                let base = o * n * inner + i
                var total: S = 0
                if logarithmic {
                    for j in 0..<n { total += upstream[base + j * inner] }
                    for j in 0..<n {
                        let k = base + j * inner
                        out[k] = upstream[k] - S.exp(y[k]) * total
                    }
                } else {
                    for j in 0..<n { total += upstream[base + j * inner] * y[base + j * inner] }
                    for j in 0..<n {
                        let k = base + j * inner
                        out[k] = y[k] * (upstream[k] - total)
                    }
                }
            }
        }
    }
}
