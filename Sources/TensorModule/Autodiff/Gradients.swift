/// Gradients of a scalar with respect to the leaves of its graph, keyed by leaf identity.
///
/// Returned by `Tensor.gradients()`; read with a parameter or the tensor that was marked with
/// `requiringGradient()`. Gradients from several backward passes add up with `accumulate(_:)`
/// (gradient accumulation over micro-batches).
package struct Gradients<Scalar: TensorScalar>: Sendable {
    private(set) var storage: [ObjectIdentifier: Tensor<Scalar>]

    /// An empty store.
    package init() { storage = [:] }

    init(storage: [ObjectIdentifier: Tensor<Scalar>]) { self.storage = storage }

    /// The gradient for a leaf tensor, or `nil` when the loss does not depend on it.
    package subscript(tensor: Tensor<Scalar>) -> Tensor<Scalar>? {
        guard let node = tensor.node else { return nil }
        return storage[ObjectIdentifier(node)]
    }

    /// The gradient for a parameter, or `nil` when the loss does not depend on it.
    package subscript(parameter: Parameter<Scalar>) -> Tensor<Scalar>? {
        get { storage[parameter.key] }
        set { storage[parameter.key] = newValue }
    }

    /// The number of leaves with a gradient.
    package var count: Int { storage.count }

    /// Adds `other` into this store leaf by leaf (gradient accumulation).
    package mutating func accumulate(_ other: Gradients) {
        for (key, gradient) in other.storage {
            if let existing = storage[key] {
                storage[key] = existing.adding(gradient)
            } else {
                storage[key] = gradient
            }
        }
    }

    /// Multiplies every gradient by `factor` in place (averaging accumulated gradients,
    /// clipping).
    package mutating func scale(by factor: Scalar) {
        for key in storage.keys {
            storage[key]!.scaleInPlace(by: factor)
        }
    }
}
