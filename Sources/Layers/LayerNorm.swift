import TensorModule

/// Layer normalisation over the last axis with a learned scale and shift
/// (`torch.nn.LayerNorm(D)`); the scale starts at 1 and the shift at 0.
package struct LayerNorm<Scalar: TensorScalar>: Layer {
    /// `[D]`, initially ones.
    package let weight: Parameter<Scalar>
    /// `[D]`, initially zeros.
    package let bias: Parameter<Scalar>
    /// Added to the variance before the square root.
    package let epsilon: Double

    /// A layer norm over a last axis of width `width`.
    package init(width: Int, name: String, epsilon: Double = 1e-5) {
        weight = Parameter(Tensor.ones([width]), name: "\(name).weight")
        bias = Parameter(Tensor.zeros([width]), name: "\(name).bias")
        self.epsilon = epsilon
    }

    package var parameters: [Parameter<Scalar>] { [weight, bias] }

    /// Normalises `x` `[..., D]`.
    package func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        x.layerNormalized(weight: weight.value, bias: bias.value, epsilon: epsilon)
    }
}
