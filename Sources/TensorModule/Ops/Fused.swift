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
        var mean = [Scalar].zeroFilled(count: rows)
        var rstd = [Scalar].zeroFilled(count: rows)
        let scalars = [Scalar].uninitialized(count: count) { out in
            withUnsafeBufferPointer { x in
                weight.withUnsafeBufferPointer { w in
                    bias.withUnsafeBufferPointer { b in
                        mean.withUnsafeMutableBufferPointer { m in
                            rstd.withUnsafeMutableBufferPointer { s in
                                Kernels.layerNorm(
                                    x, rows: rows, d: d, epsilon: Scalar(epsilon), weight: w, bias: b, out, mean: m, rstd: s)
                            }
                        }
                    }
                }
            }
        }
        let (input, savedWeight) = (detached, weight.detached)
        let (savedMean, savedRstd) = (mean, rstd)
        return Tensor.result("layer_norm", shape: shape, scalars: scalars, inputs: [self, weight, bias]) { upstream in
            var inputGradient = [Scalar].zeroFilled(count: input.count)
            var weightGradient = [Scalar].zeroFilled(count: d)
            var biasGradient = [Scalar].zeroFilled(count: d)
            upstream.withUnsafeBufferPointer { g in
                input.withUnsafeBufferPointer { x in
                    savedWeight.withUnsafeBufferPointer { w in
                        savedMean.withUnsafeBufferPointer { m in
                            savedRstd.withUnsafeBufferPointer { s in
                                inputGradient.withUnsafeMutableBufferPointer { dx in
                                    weightGradient.withUnsafeMutableBufferPointer { dw in
                                        biasGradient.withUnsafeMutableBufferPointer { db in
                                            Kernels.layerNormBackward(
                                                g, x, rows: rows, d: d, weight: w, mean: m, rstd: s,
                                                inputGradient: dx, weightGradient: dw, biasGradient: db)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            return [
                Tensor(shape: input.shape, scalars: inputGradient),
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
        let logits = detached
        let savedLogSumExp = logSumExp
        return Tensor.result("cross_entropy", shape: [], scalars: [loss], inputs: [self]) { upstream in
            let gradient = [Scalar].uninitialized(count: batch * classes) { out in
                logits.withUnsafeBufferPointer { x in
                    savedLogSumExp.withUnsafeBufferPointer { lse in
                        Kernels.crossEntropyBackward(
                            upstream: upstream.scalar, x, batch: batch, classes: classes, labels: labels,
                            classWeights: classWeights, totalWeight: totalWeight, logSumExp: lse, out)
                    }
                }
            }
            return [Tensor(shape: [batch, classes], scalars: gradient)]
        }
    }

    /// Mean squared error `mean((self - target)^2)`, as a rank-0 tensor (a composition).
    /// - Precondition: equal shapes.
    package func meanSquaredError(to target: Tensor) -> Tensor {
        precondition(shape == target.shape, "mse: prediction \(shape) and target \(target.shape) differ")
        return (self - target).squared().mean()
    }
}
