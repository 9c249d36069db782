import Support
import TensorModule

/// A multilayer perceptron: `Linear` layers with an activation between them (none after
/// the last). Shapes: `[B, inputs]` to `[B, outputs]`.
package struct MLP<Scalar: TensorScalar>: Layer {
    /// The layers in order; parameter names are `name.0.weight`, `name.1.bias`, ...
    package let layers: [Linear<Scalar>]
    /// The non-linearity after each hidden layer.
    package let activation: Activation

    /// Builds `inputs -> hidden[0] -> ... -> outputs`.
    /// - Parameters:
    ///   - initializer: for the weights; Kaiming suits ReLU, Xavier suits tanh and sigmoid.
    package init(
        inputs: Int, hidden: [Int], outputs: Int, activation: Activation = .relu, name: String = "mlp",
        initializer: Initializer = .kaimingUniform, using generator: inout SeededGenerator
    ) {
        let widths = [inputs] + hidden + [outputs]
        layers = (0..<(widths.count - 1)).map { index in
            Linear(
                inputs: widths[index], outputs: widths[index + 1], name: "\(name).\(index)",
                initializer: initializer, using: &generator)
        }
        self.activation = activation
    }

    package var parameters: [Parameter<Scalar>] { layers.flatMap(\.parameters) }

    /// The network's output (logits for a classifier).
    @_specialize(where Scalar == Float)
    package func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        var hidden = x
        for (index, layer) in layers.enumerated() {
            hidden = layer(hidden)
            if index < layers.count - 1 { hidden = activation(hidden) }
        }
        return hidden
    }
}
