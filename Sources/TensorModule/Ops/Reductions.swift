/// Reductions along one axis (negative axes count from the end) and over everything.
/// Backward rules broadcast the upstream gradient back over the reduced axis.
extension Tensor {
    private func reducedShape(_ axis: Int, keepingDimension: Bool) -> [Int] {
        var reduced = shape
        if keepingDimension { reduced[axis] = 1 } else { reduced.remove(at: axis) }
        return reduced
    }

    /// Sum along `axis`; d/dx = 1 broadcast over the axis.
    @_specialize(where Scalar == Float)
    package func sum(alongAxis axis: Int, keepingDimension: Bool = false) -> Tensor {
        let axis = ShapeRules.axis(axis, rank: rank, op: "sum", shape: shape)
        let (outer, n, inner) = ShapeRules.split(shape, at: axis)
        let scalars = [Scalar].uninitialized(count: outer * inner) { out in
            withUnsafeBufferPointer { Kernels.sumAlongAxis($0, outer: outer, n: n, inner: inner, out) }
        }
        let inputShape = shape
        let keptShape = reducedShape(axis, keepingDimension: true)
        return Tensor.result(
            "sum", shape: reducedShape(axis, keepingDimension: keepingDimension), scalars: scalars, inputs: [self]
        ) { upstream in
            [upstream.reshaped(keptShape).broadcast(to: inputShape)]
        }
    }

    /// Sum of every element, as a rank-0 tensor.
    @_specialize(where Scalar == Float)
    package func sum() -> Tensor {
        let total = withUnsafeBufferPointer { Kernels.sum($0) }
        let inputShape = shape
        return Tensor.result("sum", shape: [], scalars: [total], inputs: [self]) { upstream in
            [upstream.broadcast(to: inputShape)]
        }
    }

    /// Mean along `axis` (a sum scaled by 1/n).
    @_specialize(where Scalar == Float)
    package func mean(alongAxis axis: Int, keepingDimension: Bool = false) -> Tensor {
        let resolved = ShapeRules.axis(axis, rank: rank, op: "mean", shape: shape)
        return sum(alongAxis: resolved, keepingDimension: keepingDimension) * (1 / Scalar(shape[resolved]))
    }

    /// Mean of every element, as a rank-0 tensor.
    @_specialize(where Scalar == Float)
    package func mean() -> Tensor {
        sum() * (1 / Scalar(Swift.max(count, 1)))
    }

    /// Maximum along `axis`; the gradient flows to the first position attaining it.
    @_specialize(where Scalar == Float)
    package func max(alongAxis axis: Int, keepingDimension: Bool = false) -> Tensor {
        let axis = ShapeRules.axis(axis, rank: rank, op: "max", shape: shape)
        let (outer, n, inner) = ShapeRules.split(shape, at: axis)
        precondition(n > 0, "max: axis \(axis) of shape \(shape) is empty")
        var argmax = [Int](repeating: 0, count: outer * inner)
        let scalars = [Scalar].uninitialized(count: outer * inner) { out in
            withUnsafeBufferPointer { x in
                argmax.withUnsafeMutableBufferPointer { Kernels.maxAlongAxis(x, outer: outer, n: n, inner: inner, out, $0) }
            }
        }
        let inputShape = shape
        let positions = argmax
        return Tensor.result(
            "max", shape: reducedShape(axis, keepingDimension: keepingDimension), scalars: scalars, inputs: [self]
        ) { upstream in
            var gradient = [Scalar].zeroFilled(count: inputShape.elementCount)
            upstream.withUnsafeBufferPointer { g in
                positions.withUnsafeBufferPointer { p in
                    gradient.withUnsafeMutableBufferPointer {
                        Kernels.scatterAlongAxis(g, p, outer: outer, n: n, inner: inner, $0)
                    }
                }
            }
            return [Tensor(shape: inputShape, scalars: gradient)]
        }
    }

    /// `log(sum(exp(x)))` along `axis`, stably: `m + log(sum(exp(x - m)))` with the
    /// maximum `m` held constant (the function does not depend on it, so neither does the
    /// gradient, which is softmax along the axis).
    @_specialize(where Scalar == Float)
    package func logSumExp(alongAxis axis: Int, keepingDimension: Bool = false) -> Tensor {
        let axis = ShapeRules.axis(axis, rank: rank, op: "logsumexp", shape: shape)
        let maximum = detached.max(alongAxis: axis, keepingDimension: true)
        let result = (self - maximum).exp().sum(alongAxis: axis, keepingDimension: true).log() + maximum
        return keepingDimension ? result : result.reshaped(reducedShape(axis, keepingDimension: false))
    }

    /// Softmax along `axis`; backward `y * (g - sum(g * y))`.
    @_specialize(where Scalar == Float)
    package func softmax(alongAxis axis: Int = -1) -> Tensor {
        softmaxFamily(axis: axis, logarithmic: false)
    }

    /// Log-softmax along `axis` (stable); backward `g - softmax * sum(g)`.
    @_specialize(where Scalar == Float)
    package func logSoftmax(alongAxis axis: Int = -1) -> Tensor {
        softmaxFamily(axis: axis, logarithmic: true)
    }

    private func softmaxFamily(axis: Int, logarithmic: Bool) -> Tensor {
        let name = logarithmic ? "log_softmax" : "softmax"
        let axis = ShapeRules.axis(axis, rank: rank, op: name, shape: shape)
        let (outer, n, inner) = ShapeRules.split(shape, at: axis)
        let scalars = [Scalar].uninitialized(count: count) { out in
            withUnsafeBufferPointer {
                Kernels.softmax($0, outer: outer, n: n, inner: inner, logarithmic: logarithmic, out)
            }
        }
        let output = Tensor(shape: shape, scalars: scalars)
        return Tensor.result(name, shape: shape, scalars: scalars, inputs: [self]) { upstream in
            let gradient = [Scalar].uninitialized(count: output.count) { out in
                upstream.withUnsafeBufferPointer { g in
                    output.withUnsafeBufferPointer { y in
                        Kernels.softmaxBackward(g, y, outer: outer, n: n, inner: inner, logarithmic: logarithmic, out)
                    }
                }
            }
            return [Tensor(shape: output.shape, scalars: gradient)]
        }
    }
}
