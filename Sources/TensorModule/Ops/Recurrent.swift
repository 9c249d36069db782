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
        // Every element of the states and of `saved` is written by the kernel: no zero-fill.
        var scalars: [Scalar] = []
        let saved = [Scalar].uninitialized(count: 4 * shape.block) { saved in
            scalars = [Scalar].uninitialized(count: shape.batch * shape.length * H) { out in
                gi.withUnsafeBufferPointer { g in
                    h0.withUnsafeBufferPointer { h in
                        weightHH.withUnsafeBufferPointer { w in
                            biasHH.withUnsafeBufferPointer { b in
                                Scalar.kernelGRUForward(shape, gi: g, h0: h, weightHH: w, biasHH: b, out: out, saved: saved)
                            }
                        }
                    }
                }
            }
        }
        let (initial, weight, states, gates) = (h0.detached, weightHH.detached, scalars, saved)
        return result("gru", shape: [shape.batch, shape.length, H], scalars: scalars, inputs: [gi, h0, weightHH, biasHH]) {
            upstream in
            // `dgi` and `dh0` are written whole by the kernel; the weight gradients accumulate.
            var dWeight = [Scalar].zeroFilled(count: 3 * H * H)
            var dBias = [Scalar].zeroFilled(count: 3 * H)
            var dh0: [Scalar] = []
            let dgi = [Scalar].uninitialized(count: shape.batch * shape.length * 3 * H) { a in
                dh0 = [Scalar].uninitialized(count: shape.batch * H) { b in
                    upstream.withUnsafeBufferPointer { u in
                        initial.withUnsafeBufferPointer { h in
                            weight.withUnsafeBufferPointer { w in
                                states.withUnsafeBufferPointer { o in
                                    gates.withUnsafeBufferPointer { s in
                                        dWeight.withUnsafeMutableBufferPointer { c in
                                            dBias.withUnsafeMutableBufferPointer { d in
                                                Scalar.kernelGRUBackward(
                                                    shape, upstream: u, h0: h, weightHH: w, out: o, saved: s,
                                                    dgi: a, dh0: b, dWeight: c, dBias: d)
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            return [
                Tensor(shape: [shape.batch, shape.length, 3 * H], scalars: dgi),
                Tensor(shape: [shape.batch, H], scalars: dh0),
                Tensor(shape: [3 * H, H], scalars: dWeight),
                Tensor(shape: [3 * H], scalars: dBias),
            ]
        }
    }
}
