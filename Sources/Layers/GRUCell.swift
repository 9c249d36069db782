import RealModule
import Support
import TensorModule

/// A gated recurrent unit cell with PyTorch's equations and layout (`torch.nn.GRUCell`):
///
///     r  = sigmoid(W_ir x + b_ir + W_hr h + b_hr)
///     z  = sigmoid(W_iz x + b_iz + W_hz h + b_hz)
///     n  = tanh(W_in x + b_in + r * (W_hn h + b_hn))
///     h' = (1 - z) * n + z * h
///
/// Shapes: `x` `[B, I]`, `h` `[B, H]`; `weightIH` `[3H, I]` and `weightHH` `[3H, H]` stack
/// the r, z, n blocks in that order.
package struct GRUCell<Scalar: TensorScalar>: Layer {
    /// `[3H, I]`.
    package let weightIH: Parameter<Scalar>
    /// `[3H, H]`.
    package let weightHH: Parameter<Scalar>
    /// `[3H]`.
    package let biasIH: Parameter<Scalar>
    /// `[3H]`.
    package let biasHH: Parameter<Scalar>

    /// A cell with every weight and bias drawn from `U(-1/sqrt(H), 1/sqrt(H))` (PyTorch's
    /// default). Parameter names: `name.weight_ih`, `name.weight_hh`, `name.bias_ih`,
    /// `name.bias_hh` (PyTorch's, without the layer suffix).
    package init(inputs: Int, hidden: Int, name: String, using generator: inout SeededGenerator) {
        let initializer = Initializer.uniform(bound: 1 / Double(hidden).squareRoot())
        func make(_ shape: [Int], _ suffix: String, _ generator: inout SeededGenerator) -> Parameter<Scalar> {
            Parameter(
                initializer.tensor(shape: shape, fanIn: shape.last!, fanOut: shape[0], using: &generator),
                name: "\(name).\(suffix)")
        }
        weightIH = make([3 * hidden, inputs], "weight_ih", &generator)
        weightHH = make([3 * hidden, hidden], "weight_hh", &generator)
        biasIH = make([3 * hidden], "bias_ih", &generator)
        biasHH = make([3 * hidden], "bias_hh", &generator)
    }

    /// Input width I.
    package var inputs: Int { weightIH.shape[1] }
    /// Hidden width H.
    package var hidden: Int { weightHH.shape[1] }

    package var parameters: [Parameter<Scalar>] { [weightIH, weightHH, biasIH, biasHH] }

    /// The input projection `W_i x + b_i` for every gate at once: `[..., I]` to `[..., 3H]`.
    package func inputProjection(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        precondition(x.shape.last == inputs, "GRUCell(\(weightIH.name)): input shape \(x.shape) does not end in \(inputs)")
        guard x.rank != 2 else { return Tensor.linear(x, weight: weightIH.value, bias: biasIH.value) }
        let rows = x.count / inputs
        let flat = Tensor.linear(x.reshaped([rows, inputs]), weight: weightIH.value, bias: biasIH.value)
        return flat.reshaped(Array(x.shape.dropLast()) + [3 * hidden])
    }

    /// One step from the input `x` `[B, I]` and state `h` `[B, H]` to the next state.
    package func callAsFunction(_ x: Tensor<Scalar>, state h: Tensor<Scalar>) -> Tensor<Scalar> {
        step(projectedInput: inputProjection(x), state: h)
    }

    /// One step from an input already projected by `inputProjection` (`[B, 3H]`), so a
    /// sequence can project all its time steps in one matrix product.
    package func step(projectedInput gi: Tensor<Scalar>, state h: Tensor<Scalar>) -> Tensor<Scalar> {
        let H = hidden
        precondition(
            h.rank == 2 && h.shape[1] == H && gi.shape == [h.shape[0], 3 * H],
            "GRUCell(\(weightIH.name)): projected input \(gi.shape) and state \(h.shape) do not match hidden \(H)")
        let gh = Tensor.linear(h, weight: weightHH.value, bias: biasHH.value)
        let resetAndUpdate = (gi.sliced(alongAxis: 1, 0..<2 * H) + gh.sliced(alongAxis: 1, 0..<2 * H)).sigmoid()
        let reset = resetAndUpdate.sliced(alongAxis: 1, 0..<H)
        let update = resetAndUpdate.sliced(alongAxis: 1, H..<2 * H)
        let candidate = (gi.sliced(alongAxis: 1, 2 * H..<3 * H) + reset * gh.sliced(alongAxis: 1, 2 * H..<3 * H)).tanh()
        return candidate + update * (h - candidate)
    }
}
