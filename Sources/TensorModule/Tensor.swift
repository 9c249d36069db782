/// A dense, row-major, n-dimensional array of `Float` or `Double` with value semantics and
/// optional reverse-mode autodiff.
///
/// Storage is a contiguous Swift array (copy-on-write), so copies are cheap until mutated and
/// every kernel runs on contiguous memory; there are no strided views (movement ops such as
/// `transposed()` copy, and `matmul` takes BLAS transpose flags instead of copying).
///
/// A tensor that takes part in a gradient computation carries a `node` (see `GraphNode`);
/// constants carry none and record nothing.
///
/// The ops that other modules call are marked `@_specialize(where Scalar == Float)` (training's
/// type): called from another module a generic op runs unspecialised, and its arrays,
/// dictionaries and closures of `Tensor<Scalar>` then looked up their type metadata at run
/// time, about a third of a training step. The specialised code does the same arithmetic in
/// the same order, so the results are the same bytes. Shape legend used across the module's docs:
/// B = batch, T = time steps, I = inputs, H = hidden units, C = classes.
package struct Tensor<Scalar: TensorScalar>: Sendable {
    /// The extent of each axis; `[]` for a scalar.
    package let shape: [Int]
    /// The elements in row-major order; `scalars.count == shape.product`.
    package private(set) var scalars: [Scalar]
    /// The autodiff node that produced this value, or `nil` for a constant.
    let node: GraphNode<Scalar>?

    /// A constant tensor from row-major scalars.
    /// - Precondition: `scalars.count` equals the product of `shape`.
    package init(shape: [Int], scalars: [Scalar]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor: negative extent in shape \(shape)")
        precondition(
            scalars.count == shape.elementCount,
            "Tensor: shape \(shape) needs \(shape.elementCount) scalars, got \(scalars.count)")
        self.shape = shape
        self.scalars = scalars
        self.node = nil
    }

    /// A value produced by an op (`node` set only when it records a gradient).
    init(shape: [Int], scalars: [Scalar], node: GraphNode<Scalar>?) {
        self.shape = shape
        self.scalars = scalars
        self.node = node
    }

    /// A rank-0 constant.
    package init(_ value: Scalar) {
        self.init(shape: [], scalars: [value])
    }

    /// A constant filled with `value`.
    package init(repeating value: Scalar, shape: [Int]) {
        self.init(shape: shape, scalars: Array(repeating: value, count: shape.elementCount))
    }

    /// A constant of zeros.
    package static func zeros(_ shape: [Int]) -> Tensor { Tensor(shape: shape, scalars: .zeroFilled(count: shape.elementCount)) }

    /// A constant of ones.
    package static func ones(_ shape: [Int]) -> Tensor { Tensor(repeating: 1, shape: shape) }

    /// The number of axes.
    package var rank: Int { shape.count }

    /// The number of elements.
    package var count: Int { scalars.count }

    /// Whether gradients flow back through this value.
    package var requiresGradient: Bool { node != nil }

    /// The only element of a one-element tensor.
    /// - Precondition: `count == 1`.
    package var scalar: Scalar {
        precondition(count == 1, "Tensor.scalar: tensor of shape \(shape) has \(count) elements, not 1")
        return scalars[0]
    }

    /// The same values with no autodiff history (a constant).
    package var detached: Tensor { Tensor(shape: shape, scalars: scalars, node: nil) }

    /// The same values as a new leaf that records gradients (for gradient checks and for
    /// inputs one wants the gradient of).
    package func requiringGradient() -> Tensor {
        Tensor(shape: shape, scalars: scalars, node: GraphNode(leafOfShape: shape, name: "input"))
    }

    /// Calls `body` with the elements' contiguous memory.
    package func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Scalar>) throws -> R) rethrows -> R {
        try scalars.withUnsafeBufferPointer(body)
    }

    /// Replaces the elements in place (used by optimisers on parameters); keeps the node.
    /// - Precondition: `newScalars.count == count`.
    mutating func replaceScalars(_ newScalars: [Scalar]) {
        precondition(newScalars.count == count, "Tensor.replaceScalars: \(newScalars.count) values for shape \(shape)")
        scalars = newScalars
    }

    /// Mutable access to the elements in place (copy-on-write if shared); keeps the node.
    mutating func withUnsafeMutableScalars<R>(_ body: (UnsafeMutableBufferPointer<Scalar>) throws -> R) rethrows -> R {
        try scalars.withUnsafeMutableBufferPointer { try body($0) }
    }
}

extension Tensor: CustomStringConvertible {
    /// The shape and up to eight leading values, e.g. `Tensor[2, 3](1.0, 2.0, ...)`.
    package var description: String {
        let shown = scalars.prefix(8).map { "\($0)" }.joined(separator: ", ")
        return "Tensor\(shape)(\(shown)\(count > 8 ? ", ..." : ""))"
    }
}

extension Array where Element == Int {
    /// The number of elements of a tensor with this shape (1 for `[]`).
    package var elementCount: Int { reduce(1, *) }
}

extension Tensor: Equatable {
    /// Equal shapes and bit-for-bit equal elements (`NaN` never equals); autodiff history is
    /// ignored.
    package static func == (lhs: Tensor, rhs: Tensor) -> Bool {
        lhs.shape == rhs.shape && lhs.scalars == rhs.scalars
    }
}
