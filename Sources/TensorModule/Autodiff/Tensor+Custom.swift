extension Tensor {
    /// An op defined outside this module: its forward values were computed by the caller, and
    /// `backward` maps the gradient of the result to one gradient per input (`nil` for an input
    /// that needs none). The engine records it like its own ops (nothing when recording is
    /// off or no input needs a gradient), so a layer with a solver inside (an implicit layer)
    /// gets its gradient by one rule, not by differentiating the solver's iterations.
    ///
    /// - Parameters:
    ///   - name: the op's name, for messages.
    ///   - shape: the result's shape; `scalars` holds its values, row-major.
    ///   - inputs: the tensors the values depend on, in the order `backward` answers.
    ///   - backward: pure; captures only constants (detached tensors, arrays).
    /// - Precondition: `scalars.count` is the shape's element count.
    @_specialize(where Scalar == Float)
    package static func custom(
        _ name: String, shape: [Int], scalars: [Scalar], inputs: [Tensor],
        backward: @escaping @Sendable (_ upstream: Tensor) -> [Tensor?]
    ) -> Tensor {
        precondition(scalars.count == shape.elementCount, "custom op \(name): \(scalars.count) values for shape \(shape)")
        return result(name, shape: shape, scalars: scalars, inputs: inputs, backward: backward)
    }
}
