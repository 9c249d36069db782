/// Ops fused for numerics or memory (llm.c's pattern): layer normalisation and softmax
/// cross-entropy keep their saved statistics instead of a chain of intermediate tensors.
extension Tensor {
    /// Layer normalisation over the last axis: `(x - mean) / sqrt(var + epsilon) * weight
    /// + bias`, with the biased variance (PyTorch's `layer_norm`).
    /// - Precondition: `weight` and `bias` have shape `[D]`, D the last extent of `self`.
    package func layerNormalized(weight: Tensor, bias: Tensor, epsilon: Double = 1e-5) -> Tensor {
        let d = shape.last ?? 1
        precondition(
            rank >= 1 && weight.shape == [d] && bias.shape == [d],
            "layer_norm: input \(shape) needs weight and bias of shape [\(d)], got \(weight.shape) and \(bias.shape)")
        let rows = count / Swift.max(d, 1)
        let forward = Kernels.arrays(
            [.uninitialized(count: count), .zeroed(count: rows), .zeroed(count: rows)],
            from: [scalars, weight.scalars, bias.scalars]
        ) { read, written in
            Kernels.layerNorm(
                read[0], rows: rows, d: d, epsilon: Scalar(epsilon), weight: read[1], bias: read[2], written[0],
                mean: written[1], rstd: written[2])
        }
        let (normalized, savedMean, savedRstd) = (forward[0], forward[1], forward[2])
        let (inputShape, savedInput, savedWeight) = (shape, scalars, weight.scalars)
        return Tensor.result("layer_norm", shape: shape, scalars: normalized, inputs: [self, weight, bias]) { upstream in
            let gradients = Kernels.arrays(
                [.zeroed(count: savedInput.count), .zeroed(count: d), .zeroed(count: d)],
                from: [upstream.scalars, savedInput, savedWeight, savedMean, savedRstd]
            ) { read, written in
                Kernels.layerNormBackward(
                    read[0], read[1], rows: rows, d: d, weight: read[2], mean: read[3], rstd: read[4],
                    inputGradient: written[0], weightGradient: written[1], biasGradient: written[2])
            }
            let (inputGradient, weightGradient, biasGradient) = (gradients[0], gradients[1], gradients[2])
            return [
                Tensor(shape: inputShape, scalars: inputGradient),
                Tensor(shape: [d], scalars: weightGradient),
                Tensor(shape: [d], scalars: biasGradient),
            ]
        }
    }

    /// Softmax cross-entropy of logits `[B, C]` against integer labels, as a rank-0 tensor:
    /// `sum_i w[y_i] * (logsumexp(x_i) - x[i, y_i]) / sum_i w[y_i]` (PyTorch's weighted
    /// mean; all weights 1 when `classWeights` is nil).
    /// - Precondition: rank 2, `labels.count == B`, each label in `0..<C`, `classWeights`
    ///   of length C with a positive total over the batch.
    package func crossEntropy(labels: [Int], classWeights: [Scalar]? = nil) -> Tensor {
        precondition(rank == 2, "cross_entropy: logits must be [batch, classes], got \(shape)")
        let (batch, classes) = (shape[0], shape[1])
        precondition(labels.count == batch, "cross_entropy: \(labels.count) labels for logits \(shape)")
        precondition(labels.allSatisfy { $0 >= 0 && $0 < classes }, "cross_entropy: a label is outside 0..<\(classes)")
        if let classWeights {
            precondition(
                classWeights.count == classes, "cross_entropy: \(classWeights.count) class weights for \(classes) classes")
        }
        var logSumExp = [Scalar].zeroFilled(count: batch)
        let (loss, totalWeight) = withUnsafeBufferPointer { x in
            logSumExp.withUnsafeMutableBufferPointer {
                Kernels.crossEntropy(x, batch: batch, classes: classes, labels: labels, classWeights: classWeights, logSumExp: $0)
            }
        }
        precondition(totalWeight > 0, "cross_entropy: the class weights of this batch sum to \(totalWeight)")
        let (savedLogits, savedLogSumExp) = (scalars, logSumExp)
        return Tensor.result("cross_entropy", shape: [], scalars: [loss], inputs: [self]) { upstream in
            let logitsGradient = Kernels.arrays([.uninitialized(count: batch * classes)], from: [savedLogits, savedLogSumExp]) {
                read, written in
                Kernels.crossEntropyBackward(
                    upstream: upstream.scalar, read[0], batch: batch, classes: classes, labels: labels,
                    classWeights: classWeights, totalWeight: totalWeight, logSumExp: read[1], written[0])
            }[0]
            return [Tensor(shape: [batch, classes], scalars: logitsGradient)]
        }
    }

    /// Mean squared error `mean((self - target)^2)`, as a rank-0 tensor (a composition).
    /// - Precondition: equal shapes.
    package func meanSquaredError(to target: Tensor) -> Tensor {
        precondition(shape == target.shape, "mse: prediction \(shape) and target \(target.shape) differ")
        return (self - target).squared().mean()
    }
}
