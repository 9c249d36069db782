import TensorModule

/// A module with trainable parameters (candle's `nn` over the core tensor crate).
///
/// Layers are values holding `Parameter` references; their parameter names are the keys of
/// saved files (`mlp.0.weight`), given at construction so that saving needs no reflection.
package protocol Layer<Scalar> {
    /// The element type of the layer's tensors.
    associatedtype Scalar: TensorScalar
    /// Every trainable parameter, in a fixed order (the order optimisers and files use).
    var parameters: [Parameter<Scalar>] { get }
}

extension Layer {
    /// The total number of trainable scalars.
    package var parameterCount: Int { parameters.reduce(0) { $0 + $1.shape.elementCount } }
}
