/// Ops that move or copy elements without arithmetic: reshape, broadcast and its reverse,
/// transpose/permute, concat, stack, slice, gather and select.
extension Tensor {
    /// The same elements under a new shape (no copy); backward reshapes back.
    /// - Precondition: same element count.
    @_specialize(where Scalar == Float)
    package func reshaped(_ newShape: [Int]) -> Tensor {
        precondition(
            newShape.elementCount == count && newShape.allSatisfy { $0 >= 0 },
            "reshape: cannot reshape \(shape) (\(count) elements) to \(newShape)")
        let inputShape = shape
        return Tensor.result("reshape", shape: newShape, scalars: scalars, inputs: [self]) { upstream in
            [upstream.reshaped(inputShape)]
        }
    }

    /// Repeats this tensor along axes of extent 1 (and new leading axes) to `targetShape`;
    /// backward sums back.
    /// - Precondition: broadcasting `shape` to `targetShape` is possible.
    @_specialize(where Scalar == Float)
    package func broadcast(to targetShape: [Int]) -> Tensor {
        if targetShape == shape { return self }
        let outShape = ShapeRules.broadcast(shape, targetShape, op: "broadcast")
        precondition(outShape == targetShape, "broadcast: cannot broadcast \(shape) to \(targetShape)")
        let zero: [Scalar] = [0]
        let scalars = [Scalar].uninitialized(count: targetShape.elementCount) { out in
            withUnsafeBufferPointer { x in
                zero.withUnsafeBufferPointer { z in Kernels.binary(.add, x, shape, z, [], out, targetShape) }
            }
        }
        let inputShape = shape
        return Tensor.result("broadcast", shape: targetShape, scalars: scalars, inputs: [self]) { upstream in
            [upstream.summed(toShape: inputShape)]
        }
    }

    /// Sums over the axes along which `targetShape` was broadcast to this shape (the reverse
    /// of `broadcast(to:)`, used by every binary backward); backward broadcasts.
    @_specialize(where Scalar == Float)
    package func summed(toShape targetShape: [Int]) -> Tensor {
        if targetShape == shape { return self }
        precondition(
            ShapeRules.broadcast(targetShape, shape, op: "summed(toShape:)") == shape,
            "summed(toShape:): shape \(targetShape) does not broadcast to \(shape)")
        var scalars = [Scalar].zeroFilled(count: targetShape.elementCount)
        withUnsafeBufferPointer { x in
            scalars.withUnsafeMutableBufferPointer { Kernels.sumToShape(x, shape, $0, targetShape) }
        }
        let inputShape = shape
        return Tensor.result("sum_to_shape", shape: targetShape, scalars: scalars, inputs: [self]) { upstream in
            [upstream.broadcast(to: inputShape)]
        }
    }

    /// Axes reordered: result axis `k` is input axis `permutation[k]`; backward applies the
    /// inverse permutation.
    /// - Precondition: `permutation` is a permutation of `0..<rank`.
    @_specialize(where Scalar == Float)
    package func permuted(_ permutation: [Int]) -> Tensor {
        precondition(
            permutation.sorted() == Array(0..<rank),
            "permute: \(permutation) is not a permutation of the axes of shape \(shape)")
        let outShape = permutation.map { shape[$0] }
        let inputShape = shape
        let scalars = [Scalar].uninitialized(count: count) { out in
            withUnsafeBufferPointer { Kernels.permute($0, inputShape, permutation, out) }
        }
        var inverse = [Int](repeating: 0, count: rank)
        for (k, axis) in permutation.enumerated() { inverse[axis] = k }
        return Tensor.result("permute", shape: outShape, scalars: scalars, inputs: [self]) { [inverse] upstream in
            [upstream.permuted(inverse)]
        }
    }

    /// The last two axes swapped (a matrix transpose for rank 2).
    /// - Precondition: rank >= 2.
    @_specialize(where Scalar == Float)
    package func transposed() -> Tensor {
        precondition(rank >= 2, "transpose: needs rank >= 2, got shape \(shape)")
        var permutation = Array(0..<rank)
        permutation.swapAt(rank - 1, rank - 2)
        return permuted(permutation)
    }

    /// Joins tensors along `axis`; backward slices the gradient back apart.
    /// - Precondition: at least one tensor; all shapes equal except along `axis`.
    @_specialize(where Scalar == Float)
    package static func concatenated(_ tensors: [Tensor], alongAxis axis: Int) -> Tensor {
        precondition(!tensors.isEmpty, "concat: needs at least one tensor")
        let first = tensors[0].shape
        let axis = ShapeRules.axis(axis, rank: first.count, op: "concat", shape: first)
        for tensor in tensors {
            var a = tensor.shape
            var b = first
            precondition(a.count == b.count, "concat: shapes \(first) and \(tensor.shape) have different ranks")
            a[axis] = 0
            b[axis] = 0
            precondition(a == b, "concat: shapes \(first) and \(tensor.shape) differ off axis \(axis)")
        }
        let extents = tensors.map { $0.shape[axis] }
        var outShape = first
        outShape[axis] = extents.reduce(0, +)
        let (outer, _, inner) = ShapeRules.split(outShape, at: axis)
        let outWidth = outShape[axis] * inner
        let scalars = [Scalar].uninitialized(count: outShape.elementCount) { out in
            var offset = 0
            for tensor in tensors {
                let width = tensor.shape[axis] * inner
                tensor.withUnsafeBufferPointer {
                    Kernels.copyBlocks($0, outer: outer, width: width, into: out, outWidth: outWidth, offset: offset)
                }
                offset += width
            }
        }
        return result("concat", shape: outShape, scalars: scalars, inputs: tensors) { upstream in
            var start = 0
            return extents.map { extent in
                defer { start += extent }
                return upstream.sliced(alongAxis: axis, start..<start + extent)
            }
        }
    }

    /// Joins same-shaped tensors along a new axis inserted at `axis`.
    /// - Precondition: at least one tensor; equal shapes.
    @_specialize(where Scalar == Float)
    package static func stacked(_ tensors: [Tensor], alongAxis axis: Int) -> Tensor {
        precondition(!tensors.isEmpty, "stack: needs at least one tensor")
        let shape = tensors[0].shape
        let axis = ShapeRules.axis(axis, rank: shape.count + 1, op: "stack", shape: shape)
        for tensor in tensors {
            precondition(tensor.shape == shape, "stack: shapes \(shape) and \(tensor.shape) differ")
        }
        var expanded = shape
        expanded.insert(1, at: axis)
        return concatenated(tensors.map { $0.reshaped(expanded) }, alongAxis: axis)
    }

    /// The elements with index in `range` along `axis`; backward places the gradient back
    /// into zeros.
    /// - Precondition: `range` lies within the axis.
    @_specialize(where Scalar == Float)
    package func sliced(alongAxis axis: Int, _ range: Range<Int>) -> Tensor {
        let axis = ShapeRules.axis(axis, rank: rank, op: "slice", shape: shape)
        precondition(
            range.lowerBound >= 0 && range.upperBound <= shape[axis],
            "slice: range \(range) is out of bounds for axis \(axis) of shape \(shape)")
        var outShape = shape
        outShape[axis] = range.count
        let (outer, n, inner) = ShapeRules.split(shape, at: axis)
        let width = range.count * inner
        let offset = range.lowerBound * inner
        let scalars = [Scalar].uninitialized(count: outShape.elementCount) { out in
            withUnsafeBufferPointer {
                Kernels.extractBlocks($0, outer: outer, inWidth: n * inner, offset: offset, width: width, into: out)
            }
        }
        let inputShape = shape
        return Tensor.result("slice", shape: outShape, scalars: scalars, inputs: [self]) { upstream in
            var gradient = [Scalar].zeroFilled(count: inputShape.elementCount)
            upstream.withUnsafeBufferPointer { g in
                gradient.withUnsafeMutableBufferPointer {
                    Kernels.copyBlocks(g, outer: outer, width: width, into: $0, outWidth: n * inner, offset: offset)
                }
            }
            return [Tensor(shape: inputShape, scalars: gradient)]
        }
    }

    /// Index-select: the entries at `indices` along `axis`, in that order (repeats allowed);
    /// backward scatter-adds, so a repeated index accumulates.
    /// - Precondition: every index is within the axis.
    @_specialize(where Scalar == Float)
    package func gathering(alongAxis axis: Int, indices: [Int]) -> Tensor {
        let axis = ShapeRules.axis(axis, rank: rank, op: "index_select", shape: shape)
        let (outer, n, inner) = ShapeRules.split(shape, at: axis)
        for index in indices {
            precondition(
                index >= 0 && index < n, "index_select: index \(index) is out of range for axis \(axis) of shape \(shape)")
        }
        var outShape = shape
        outShape[axis] = indices.count
        let scalars = [Scalar].uninitialized(count: outShape.elementCount) { out in
            withUnsafeBufferPointer {
                Kernels.gather($0, outer: outer, n: n, inner: inner, indices: indices, into: out, scatterAdding: false)
            }
        }
        let inputShape = shape
        return Tensor.result("index_select", shape: outShape, scalars: scalars, inputs: [self]) { upstream in
            var gradient = [Scalar].zeroFilled(count: inputShape.elementCount)
            upstream.withUnsafeBufferPointer { g in
                gradient.withUnsafeMutableBufferPointer {
                    Kernels.gather(g, outer: outer, n: n, inner: inner, indices: indices, into: $0, scatterAdding: true)
                }
            }
            return [Tensor(shape: inputShape, scalars: gradient)]
        }
    }

    /// Elementwise choice: `a` where `condition` is non-zero, else `b` (the mask takes no
    /// gradient). Use it to mask unlisted assets.
    /// - Precondition: the three shapes are equal.
    @_specialize(where Scalar == Float)
    package static func selecting(_ condition: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
        precondition(
            condition.shape == a.shape && a.shape == b.shape,
            "where: condition \(condition.shape), a \(a.shape) and b \(b.shape) must have the same shape")
        let scalars = [Scalar].uninitialized(count: a.count) { out in
            condition.withUnsafeBufferPointer { c in
                a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in Kernels.select(c, x, y, out) } }
            }
        }
        let mask = condition.detached
        let zeros = Tensor.zeros(a.shape)
        return result("where", shape: a.shape, scalars: scalars, inputs: [condition, a, b]) { upstream in
            [nil, selecting(mask, upstream, zeros), selecting(mask, zeros, upstream)]
        }
    }
}
