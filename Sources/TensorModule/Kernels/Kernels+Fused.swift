import RealModule

/// Fused kernels where composing primitives would cost memory or precision
/// (llm.c's layernorm and softmax-cross-entropy). Shape legend: R rows, D width, B batch,
/// C classes.
extension Kernels {
    /// `out[i] = upstream[i] * (input[i] > 0 ? 1 : 0)`: ReLU's backward in one pass, without
    /// the indicator array (the product, not a select, so NaN and the sign of zero come out
    /// as from multiplying by the indicator).
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func timesPositiveIndicator<S: TensorScalar>(
        _ upstream: UnsafeBufferPointer<S>, of input: UnsafeBufferPointer<S>, _ out: UnsafeMutableBufferPointer<S>
    ) {
        for i in 0..<out.count { out[i] = upstream[i] * (input[i] > 0 ? 1 : 0) }
    }

    /// Layer normalisation over rows of width `d`: `y = (x - mean) * rstd * weight + bias`
    /// with the biased variance (as PyTorch). Saves `mean` and `rstd` per row for backward.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func layerNorm<S: TensorScalar>(
        _ x: UnsafeBufferPointer<S>, rows: Int, d: Int, epsilon: S,
        weight: UnsafeBufferPointer<S>, bias: UnsafeBufferPointer<S>,
        _ out: UnsafeMutableBufferPointer<S>,
        mean: UnsafeMutableBufferPointer<S>, rstd: UnsafeMutableBufferPointer<S>
    ) {
        let width = S(d)
        for r in 0..<rows {
            let base = r * d
            var total: S = 0
            for k in 0..<d { total += x[base + k] }
            let m = total / width
            var squares: S = 0
            for k in 0..<d {
                let centred = x[base + k] - m
                squares += centred * centred
            }
            let s = 1 / (squares / width + epsilon).squareRoot()
            for k in 0..<d { out[base + k] = (x[base + k] - m) * s * weight[k] + bias[k] }
            mean[r] = m
            rstd[r] = s
        }
    }

    /// Backward of `layerNorm`: `dx = rstd * (dn - mean(dn) - xhat * mean(dn * xhat))` with
    /// `dn = g * weight`; `dweight = sum_rows g * xhat`; `dbias = sum_rows g`.
    /// `weightGradient` and `biasGradient` must be zeroed by the caller.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func layerNormBackward<S: TensorScalar>(
        _ upstream: UnsafeBufferPointer<S>, _ x: UnsafeBufferPointer<S>, rows: Int, d: Int,
        weight: UnsafeBufferPointer<S>, mean: UnsafeBufferPointer<S>, rstd: UnsafeBufferPointer<S>,
        inputGradient: UnsafeMutableBufferPointer<S>,
        weightGradient: UnsafeMutableBufferPointer<S>, biasGradient: UnsafeMutableBufferPointer<S>
    ) {
        let width = S(d)
        for r in 0..<rows {
            let base = r * d
            let m = mean[r]
            let s = rstd[r]
            var meanNormGradient: S = 0
            var meanNormGradientTimesXhat: S = 0
            for k in 0..<d {
                let xhat = (x[base + k] - m) * s
                let dn = upstream[base + k] * weight[k]
                meanNormGradient += dn
                meanNormGradientTimesXhat += dn * xhat
                weightGradient[k] += upstream[base + k] * xhat
                biasGradient[k] += upstream[base + k]
            }
            meanNormGradient /= width
            meanNormGradientTimesXhat /= width
            for k in 0..<d {
                let xhat = (x[base + k] - m) * s
                let dn = upstream[base + k] * weight[k]
                inputGradient[base + k] = s * (dn - meanNormGradient - xhat * meanNormGradientTimesXhat)
            }
        }
    }

    /// Weighted softmax cross-entropy from logits `[B, C]`:
    /// `loss = sum_i w[y_i] * (lse_i - x[i, y_i]) / sum_i w[y_i]` (PyTorch's weighted mean).
    /// Writes each row's log-sum-exp to `logSumExp` for the backward pass.
    /// - Returns: the loss and the total weight `sum_i w[y_i]`.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func crossEntropy<S: TensorScalar>(
        _ logits: UnsafeBufferPointer<S>, batch: Int, classes: Int, labels: [Int], classWeights: [S]?,
        logSumExp: UnsafeMutableBufferPointer<S>
    ) -> (loss: S, totalWeight: S) {
        var loss: S = 0
        var totalWeight: S = 0
        for b in 0..<batch {
            let base = b * classes
            var maximum = -S.infinity
            for c in 0..<classes { maximum = max(maximum, logits[base + c]) }
            var total: S = 0
            for c in 0..<classes { total += S.exp(logits[base + c] - maximum) }
            let lse = S.log(total) + maximum
            logSumExp[b] = lse
            let w = classWeights?[labels[b]] ?? 1
            loss += w * (lse - logits[base + labels[b]])
            totalWeight += w
        }
        return (loss / totalWeight, totalWeight)
    }

    /// Backward of `crossEntropy`: `dx[i, c] = g * w[y_i] / W * (softmax(x_i)[c] - [c == y_i])`.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func crossEntropyBackward<S: TensorScalar>(
        upstream: S, _ logits: UnsafeBufferPointer<S>, batch: Int, classes: Int, labels: [Int],
        classWeights: [S]?, totalWeight: S, logSumExp: UnsafeBufferPointer<S>,
        _ out: UnsafeMutableBufferPointer<S>
    ) {
        for b in 0..<batch {
            let base = b * classes
            let factor = upstream * (classWeights?[labels[b]] ?? 1) / totalWeight
            let lse = logSumExp[b]
            for c in 0..<classes { out[base + c] = factor * S.exp(logits[base + c] - lse) }
            out[base + labels[b]] -= factor
        }
    }
}
