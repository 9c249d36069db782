extension Kernels {
    /// `out = x` with axes permuted: `out` axis `k` is `x` axis `permutation[k]`.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func permute<S: TensorScalar>(
        _ x: UnsafeBufferPointer<S>, _ shape: [Int], _ permutation: [Int], _ out: UnsafeMutableBufferPointer<S>
    ) {
        let rank = shape.count
        if x.count == 0 { return }
        if rank == 2 && permutation == [1, 0] {
            let rows = shape[0]
            let columns = shape[1]
            for r in 0..<rows {
                for c in 0..<columns { out[c * rows + r] = x[r * columns + c] }
            }
            return
        }
        var inputStrides = [Int](repeating: 1, count: rank)
        for axis in stride(from: rank - 2, through: 0, by: -1) {
            inputStrides[axis] = inputStrides[axis + 1] * shape[axis + 1]
        }
        let outShape = permutation.map { shape[$0] }
        let strides = permutation.map { inputStrides[$0] }
        var index = [Int](repeating: 0, count: rank)
        var source = 0
        for o in 0..<out.count {
            out[o] = x[source]
            var axis = rank - 1
            while axis >= 0 {
                index[axis] += 1
                source += strides[axis]
                if index[axis] < outShape[axis] { break }
                source -= strides[axis] * outShape[axis]
                index[axis] = 0
                axis -= 1
            }
        }
    }

    /// Copies block rows: `out[o, offset ..< offset + width] = x[o, 0 ..< width]` for each
    /// of `outer` rows, where `out` rows are `outWidth` long (concat, and slice backward).
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func copyBlocks<S: TensorScalar>(
        _ x: UnsafeBufferPointer<S>, outer: Int, width: Int,
        into out: UnsafeMutableBufferPointer<S>, outWidth: Int, offset: Int
    ) {
        for o in 0..<outer {
            for k in 0..<width { out[o * outWidth + offset + k] = x[o * width + k] }
        }
    }

    /// Extracts block rows: `out[o, 0 ..< width] = x[o, offset ..< offset + width]` where `x`
    /// rows are `inWidth` long (slice, and concat backward).
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func extractBlocks<S: TensorScalar>(
        _ x: UnsafeBufferPointer<S>, outer: Int, inWidth: Int, offset: Int, width: Int,
        into out: UnsafeMutableBufferPointer<S>
    ) {
        for o in 0..<outer {
            for k in 0..<width { out[o * width + k] = x[o * inWidth + offset + k] }
        }
    }

    /// `out[o, j, i] = x[o, indices[j], i]`, or with `accumulate` the scatter-add backward
    /// `out[o, indices[j], i] += x[o, j, i]`.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func gather<S: TensorScalar>(
        _ x: UnsafeBufferPointer<S>, outer: Int, n: Int, inner: Int, indices: [Int],
        into out: UnsafeMutableBufferPointer<S>, scatterAdding: Bool
    ) {
        let m = indices.count
        for o in 0..<outer {
            for (j, index) in indices.enumerated() {
                if scatterAdding {
                    let from = (o * m + j) * inner
                    let to = (o * n + index) * inner
                    for i in 0..<inner { out[to + i] += x[from + i] }
                } else {
                    let from = (o * n + index) * inner
                    let to = (o * m + j) * inner
                    for i in 0..<inner { out[to + i] = x[from + i] }
                }
            }
        }
    }

    /// `out[i] = condition[i] != 0 ? a[i] : b[i]`.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func select<S: TensorScalar>(
        _ condition: UnsafeBufferPointer<S>, _ a: UnsafeBufferPointer<S>, _ b: UnsafeBufferPointer<S>,
        _ out: UnsafeMutableBufferPointer<S>
    ) {
        for i in 0..<out.count { out[i] = condition[i] != 0 ? a[i] : b[i] }
    }
}
