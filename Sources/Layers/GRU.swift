import Support
import TensorModule

/// A one-layer GRU over batch-first sequences (`torch.nn.GRU(batch_first=True)`).
///
/// Shapes: input `[B, T, I]`; outputs every hidden state `[B, T, H]` and the last `[B, H]`.
/// All steps' input projections are one matrix product; the recurrence is the fused
/// `Tensor.gruSequence` op (the same equations as `GRUCell`, which tests check it against).
package struct GRU<Scalar: TensorScalar>: Layer {
    /// The recurrent cell applied at every step.
    package let cell: GRUCell<Scalar>

    /// A GRU whose cell's parameters are named `name.weight_ih`, ...
    package init(inputs: Int, hidden: Int, name: String = "gru", using generator: inout SeededGenerator) {
        cell = GRUCell(inputs: inputs, hidden: hidden, name: name, using: &generator)
    }

    package var parameters: [Parameter<Scalar>] { cell.parameters }

    /// Runs the sequence from `initialState` (zeros when nil).
    /// - Returns: `outputs` `[B, T, H]` and `last` `[B, H]`.
    package func callAsFunction(
        _ x: Tensor<Scalar>, initialState: Tensor<Scalar>? = nil
    ) -> (outputs: Tensor<Scalar>, last: Tensor<Scalar>) {
        precondition(x.rank == 3, "GRU(\(cell.weightIH.name)): input must be [batch, time, inputs], got \(x.shape)")
        let (batch, length, H) = (x.shape[0], x.shape[1], cell.hidden)
        precondition(length > 0, "GRU(\(cell.weightIH.name)): empty sequence \(x.shape)")
        let state = initialState ?? Tensor.zeros([batch, H])
        let outputs = Tensor.gruSequence(
            projectedInput: cell.inputProjection(x), initialState: state,
            weightHH: cell.weightHH.value, biasHH: cell.biasHH.value)
        let last = outputs.sliced(alongAxis: 1, (length - 1)..<length).reshaped([batch, H])
        return (outputs, last)
    }
}
