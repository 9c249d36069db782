extension Kernels {
    /// `out = lhs (op) rhs` with NumPy broadcasting; `outShape` is the broadcast shape.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func binary<S: TensorScalar>(
        _ op: BinaryOperator,
        _ lhs: UnsafeBufferPointer<S>, _ lhsShape: [Int],
        _ rhs: UnsafeBufferPointer<S>, _ rhsShape: [Int],
        _ out: UnsafeMutableBufferPointer<S>, _ outShape: [Int]
    ) {
        switch op {
        case .add: broadcastApply(lhs, lhsShape, rhs, rhsShape, out, outShape) { $0 + $1 }
        case .subtract: broadcastApply(lhs, lhsShape, rhs, rhsShape, out, outShape) { $0 - $1 }
        case .multiply: broadcastApply(lhs, lhsShape, rhs, rhsShape, out, outShape) { $0 * $1 }
        case .divide: broadcastApply(lhs, lhsShape, rhs, rhsShape, out, outShape) { $0 / $1 }
        }
    }

    @inline(__always)
    private static func broadcastApply<S: TensorScalar>(
        _ lhs: UnsafeBufferPointer<S>, _ lhsShape: [Int],
        _ rhs: UnsafeBufferPointer<S>, _ rhsShape: [Int],
        _ out: UnsafeMutableBufferPointer<S>, _ outShape: [Int],
        _ f: (S, S) -> S
    ) {
        let n = out.count
        if n == 0 { return }
        if lhs.count == n && rhs.count == n {
            for i in 0..<n { out[i] = f(lhs[i], rhs[i]) }
            return
        }
        if rhs.count == 1 && lhs.count == n {
            let r = rhs[0]
            for i in 0..<n { out[i] = f(lhs[i], r) }
            return
        }
        if lhs.count == 1 && rhs.count == n {
            let l = lhs[0]
            for i in 0..<n { out[i] = f(l, rhs[i]) }
            return
        }
        let lhsStrides = broadcastStrides(of: lhsShape, in: outShape)
        let rhsStrides = broadcastStrides(of: rhsShape, in: outShape)
        let rank = outShape.count
        let inner = outShape[rank - 1]
        let ls = lhsStrides[rank - 1]
        let rs = rhsStrides[rank - 1]
        var index = [Int](repeating: 0, count: rank)
        var lo = 0
        var ro = 0
        var o = 0
        while o < n {
            if ls == 1 && rs == 1 {
                for j in 0..<inner { out[o + j] = f(lhs[lo + j], rhs[ro + j]) }
            } else if ls == 1 {
                let r = rhs[ro]
                for j in 0..<inner { out[o + j] = f(lhs[lo + j], r) }
            } else if rs == 1 {
                let l = lhs[lo]
                for j in 0..<inner { out[o + j] = f(l, rhs[ro + j]) }
            } else {
                let l = lhs[lo]
                let r = rhs[ro]
                for j in 0..<inner { out[o + j] = f(l, r) }
            }
            o += inner
            // Advance the multi-index over all axes but the last.
            var axis = rank - 2
            while axis >= 0 {
                index[axis] += 1
                lo += lhsStrides[axis]
                ro += rhsStrides[axis]
                if index[axis] < outShape[axis] { break }
                lo -= lhsStrides[axis] * outShape[axis]
                ro -= rhsStrides[axis] * outShape[axis]
                index[axis] = 0
                axis -= 1
            }
        }
    }

    /// Row-major strides of `shape` laid against the longer `outShape`, 0 on broadcast axes.
    static func broadcastStrides(of shape: [Int], in outShape: [Int]) -> [Int] {
        let offset = outShape.count - shape.count
        var strides = [Int](repeating: 0, count: outShape.count)
        var step = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[axis + offset] = shape[axis] == 1 ? 0 : step
            step *= shape[axis]
        }
        return strides
    }

    /// Sums a tensor of `fromShape` down to `toShape`, the shape it was broadcast from
    /// (the reverse of broadcasting). `out` must be zeroed by the caller.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func sumToShape<S: TensorScalar>(
        _ x: UnsafeBufferPointer<S>, _ fromShape: [Int],
        _ out: UnsafeMutableBufferPointer<S>, _ toShape: [Int]
    ) {
        let n = x.count
        if n == 0 { return }
        if out.count == 1 {
            out[0] = sum(x)
            return
        }
        let strides = broadcastStrides(of: toShape, in: fromShape)
        let rank = fromShape.count
        let inner = fromShape[rank - 1]
        let innerStride = strides[rank - 1]
        var index = [Int](repeating: 0, count: rank)
        var to = 0
        var from = 0
        while from < n {
            if innerStride == 1 {
                for j in 0..<inner { out[to + j] += x[from + j] }
            } else {
                var total: S = 0
                for j in 0..<inner { total += x[from + j] }
                out[to] += total
            }
            from += inner
            var axis = rank - 2
            while axis >= 0 {
                index[axis] += 1
                to += strides[axis]
                if index[axis] < fromShape[axis] { break }
                to -= strides[axis] * fromShape[axis]
                index[axis] = 0
                axis -= 1
            }
        }
    }
}
