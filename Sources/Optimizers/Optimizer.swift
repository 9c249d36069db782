import TensorModule

/// Updates parameters from their gradients (candle's `Optimizer.step`).
///
/// Optimisers keep per-parameter state keyed by parameter identity and visit parameters in
/// the order given, so the same inputs give bit-identical updates.
package protocol Optimizer<Scalar> {
    /// The element type of the parameters.
    associatedtype Scalar: TensorScalar
    /// The step size for the next `step`; a schedule may change it between steps.
    var learningRate: Double { get set }
    /// Applies one update to every parameter that has a gradient.
    mutating func step(_ parameters: [Parameter<Scalar>], gradients: Gradients<Scalar>)
}
