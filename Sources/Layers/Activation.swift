import TensorModule

/// A pointwise non-linearity between layers.
package enum Activation: String, Sendable, CaseIterable {
    case relu, tanh, sigmoid, softplus, identity

    /// Applies the activation.
    @_specialize(where Scalar == Float)
    package func callAsFunction<Scalar: TensorScalar>(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        switch self {
        case .relu: x.relu()
        case .tanh: x.tanh()
        case .sigmoid: x.sigmoid()
        case .softplus: x.softplus()
        case .identity: x
        }
    }
}
