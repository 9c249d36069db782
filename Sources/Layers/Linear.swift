import Support
import TensorModule

/// A fully connected layer `y = x W^T + b`, with PyTorch's layout (`weight` is
/// `[outputs, inputs]`) so saved weights line up with `torch.nn.Linear`.
///
/// Shapes: `x` is `[B, I]` or `[B, T, I]`; `y` is `[B, O]` or `[B, T, O]`.
package struct Linear<Scalar: TensorScalar>: Layer {
    /// `[outputs, inputs]`.
    package let weight: Parameter<Scalar>
    /// `[outputs]`.
    package let bias: Parameter<Scalar>

    /// A layer with weights from `initializer` and zero bias.
    /// - Parameter name: prefix of the parameter names (`name.weight`, `name.bias`).
    package init(
        inputs: Int, outputs: Int, name: String, initializer: Initializer = .kaimingUniform,
        using generator: inout SeededGenerator
    ) {
        weight = Parameter(
            initializer.tensor(shape: [outputs, inputs], fanIn: inputs, fanOut: outputs, using: &generator),
            name: "\(name).weight")
        bias = Parameter(Tensor.zeros([outputs]), name: "\(name).bias")
    }

    /// Input width.
    package var inputs: Int { weight.shape[1] }
    /// Output width.
    package var outputs: Int { weight.shape[0] }

    package var parameters: [Parameter<Scalar>] { [weight, bias] }

    /// `x W^T + b`.
    /// - Precondition: the last extent of `x` equals `inputs`.
    @_specialize(where Scalar == Float)
    package func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        precondition(
            x.shape.last == inputs,
            "Linear(\(weight.name)): input shape \(x.shape) does not end in \(inputs)")
        guard x.rank != 2 else { return Tensor.linear(x, weight: weight.value, bias: bias.value) }
        let rows = x.count / inputs
        let flat = Tensor.linear(x.reshaped([rows, inputs]), weight: weight.value, bias: bias.value)
        return flat.reshaped(Array(x.shape.dropLast()) + [outputs])
    }
}
