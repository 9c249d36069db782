/// Shape arithmetic shared by the ops: broadcasting, axis normalisation, reduction views.
enum ShapeRules {
    /// The NumPy broadcast of two shapes (aligned at the trailing axis; an extent of 1
    /// stretches).
    /// - Precondition: the shapes are compatible; the message names the op and both shapes.
    static func broadcast(_ lhs: [Int], _ rhs: [Int], op: String) -> [Int] {
        if lhs == rhs { return lhs }
        let rank = max(lhs.count, rhs.count)
        var result = [Int](repeating: 1, count: rank)
        for k in 0..<rank {
            let l = k < rank - lhs.count ? 1 : lhs[k - (rank - lhs.count)]
            let r = k < rank - rhs.count ? 1 : rhs[k - (rank - rhs.count)]
            precondition(
                l == r || l == 1 || r == 1,
                "\(op): shapes \(lhs) and \(rhs) cannot be broadcast together (axis \(k): \(l) vs \(r))")
            result[k] = l == 1 ? r : l
        }
        return result
    }

    /// Resolves a possibly negative axis (`-1` is the last) against `rank`.
    /// - Precondition: the axis exists; the message names the op and the shape.
    static func axis(_ axis: Int, rank: Int, op: String, shape: [Int]) -> Int {
        let resolved = axis < 0 ? axis + rank : axis
        precondition(resolved >= 0 && resolved < rank, "\(op): axis \(axis) is out of range for shape \(shape)")
        return resolved
    }

    /// `(outer, n, inner)`: the products of the extents before, at and after `axis`.
    static func split(_ shape: [Int], at axis: Int) -> (outer: Int, n: Int, inner: Int) {
        (shape[..<axis].reduce(1, *), shape[axis], shape[(axis + 1)...].reduce(1, *))
    }
}

extension Array where Element: TensorScalar {
    /// `count` zeros, written as zero bytes (IEEE 754 +0 is all-zero bits). Unlike
    /// `Array(repeating: 0, count:)`, this stays a `memset` even in unspecialised generic code.
    static func zeroFilled(count: Int) -> [Element] {
        uninitialized(count: count) { UnsafeMutableRawBufferPointer($0).initializeMemory(as: UInt8.self, repeating: 0) }
    }
}

extension Array {
    /// An array of `count` elements written by `body`, without zero-filling first.
    /// `body` must initialise every element.
    static func uninitialized(
        count: Int, _ body: (inout UnsafeMutableBufferPointer<Element>) -> Void
    ) -> [Element] {
        [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
            body(&buffer)
            initialized = count
        }
    }
}
