/// The GRU recurrence over a whole sequence as one op, so backpropagation through time
/// runs in one fused kernel instead of a graph of ~15 small ops per step (and without the
/// per-step slices whose backward would allocate full-sequence buffers).
extension Tensor {
    /// All hidden states of a GRU (PyTorch's `nn.GRU` equations, gates r, z, n) given the
    /// input projections `gi = x W_ih^T + b_ih` of every step.
    ///
    /// Shapes: `projectedInput` `[B, T, 3H]`, `initialState` `[B, H]`, `weightHH` `[3H, H]`,
    /// `biasHH` `[3H]`; result `[B, T, H]`.
    /// - Precondition: the shapes above, with T >= 1.
    package static func gruSequence(
        projectedInput gi: Tensor, initialState h0: Tensor, weightHH: Tensor, biasHH: Tensor
    ) -> Tensor {
        let H = weightHH.shape.last ?? 0
        precondition(
            gi.rank == 3 && gi.shape[1] >= 1 && gi.shape[2] == 3 * H && h0.shape == [gi.shape[0], H]
                && weightHH.shape == [3 * H, H] && biasHH.shape == [3 * H],
            "gru: projected input \(gi.shape), state \(h0.shape), weight_hh \(weightHH.shape) and bias_hh \(biasHH.shape) do not fit [B, T, 3H], [B, H], [3H, H], [3H]"
        )
        let shape = Kernels.GRUShape(batch: gi.shape[0], length: gi.shape[1], hidden: H)
        // Every element of the states and of the saved gates is written by the kernel: no
        // zero-fill.
        let forward = Kernels.arrays(
            [.uninitialized(count: shape.batch * shape.length * H), .uninitialized(count: 4 * shape.block)],
            from: [gi.scalars, h0.scalars, weightHH.scalars, biasHH.scalars]
        ) { read, written in
            Scalar.kernelGRUForward(
                shape, gi: read[0], h0: read[1], weightHH: read[2], biasHH: read[3], out: written[0], saved: written[1])
        }
        let (states, savedGates) = (forward[0], forward[1])
        let (savedInitialState, savedWeight) = (h0.scalars, weightHH.scalars)
        return result("gru", shape: [shape.batch, shape.length, H], scalars: states, inputs: [gi, h0, weightHH, biasHH]) {
            upstream in
            // The projected-input and initial-state gradients are written whole by the kernel;
            // the weight and bias gradients accumulate.
            let gradients = Kernels.arrays(
                [
                    .uninitialized(count: shape.batch * shape.length * 3 * H), .uninitialized(count: shape.batch * H),
                    .zeroed(count: 3 * H * H), .zeroed(count: 3 * H),
                ],
                from: [upstream.scalars, savedInitialState, savedWeight, states, savedGates]
            ) { read, written in
                Scalar.kernelGRUBackward(
                    shape, upstream: read[0], h0: read[1], weightHH: read[2], out: read[3], saved: read[4],
                    dgi: written[0], dh0: written[1], dWeight: written[2], dBias: written[3])
            }
            let (projectedInputGradient, initialStateGradient, weightGradient, biasGradient) =
                (gradients[0], gradients[1], gradients[2], gradients[3])
            return [
                Tensor(shape: [shape.batch, shape.length, 3 * H], scalars: projectedInputGradient),
                Tensor(shape: [shape.batch, H], scalars: initialStateGradient),
                Tensor(shape: [3 * H, H], scalars: weightGradient),
                Tensor(shape: [3 * H], scalars: biasGradient),
            ]
        }
    }
}
