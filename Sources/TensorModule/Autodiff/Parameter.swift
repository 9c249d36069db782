/// A trainable tensor: the only mutable leaf of the autodiff graph.
///
/// A reference type so that a layer and an optimiser see the same value; its leaf node is
/// created once and keeps its identity across updates, so `Gradients` and optimiser state
/// can be keyed by it.
package final class Parameter<Scalar: TensorScalar>: @unchecked Sendable {
    /// The name used in saved files (`layer1.weight`), set by the layer that owns it.
    package let name: String
    private let leaf: GraphNode<Scalar>
    private var storage: Tensor<Scalar>

    /// Creates a parameter holding `initialValue`.
    package init(_ initialValue: Tensor<Scalar>, name: String) {
        self.name = name
        self.leaf = GraphNode(leafOfShape: initialValue.shape, name: name)
        self.storage = Tensor(shape: initialValue.shape, scalars: initialValue.scalars, node: leaf)
    }

    /// The current value, recording gradients when used in an op.
    package var value: Tensor<Scalar> { storage }

    /// The parameter's shape.
    package var shape: [Int] { storage.shape }

    /// The key of this parameter's gradient in `Gradients` and of optimiser state.
    package var key: ObjectIdentifier { ObjectIdentifier(leaf) }

    /// Replaces the value (loading saved weights).
    /// - Precondition: same shape.
    package func assign(_ newValue: Tensor<Scalar>) {
        precondition(
            newValue.shape == storage.shape,
            "Parameter \(name): cannot assign shape \(newValue.shape) to shape \(storage.shape)")
        storage.replaceScalars(newValue.scalars)
    }

    /// Updates the elements in place (optimisers); copy-free when no graph still holds them.
    package func update(_ body: (UnsafeMutableBufferPointer<Scalar>) -> Void) {
        storage.withUnsafeMutableScalars(body)
    }
}
