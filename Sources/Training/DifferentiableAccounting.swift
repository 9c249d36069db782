import TensorModule

/// The contract's accounting (Appendix A) as tensor ops, so a training loss can be
/// differentiated through costs, funding and drift. One step from the held weights and the
/// new weights gives the period's net return and the drifted weights held at its end; it
/// equals `Backtest.Simulator` on the same weights (a test checks it).
///
/// Shapes: B batch, N assets; `weights` `[B, N + 1]` (cash last), `held`, `nextReturns`,
/// `nextFunding`, `rolling` `[B, N]`.
package enum DifferentiableAccounting {
    /// `W_t / W_{t-1} - 1 = (1 - fee tau)(1 + w.r - w.f) - 1` with `tau = sum |w - held|`
    /// (both legs `|w| + |held|` where `rolling` is 1: a futures roll), and the drifted
    /// weights `w (1 + r) / (1 + w.r)`.
    package static func step<Scalar: TensorScalar>(
        weights: Tensor<Scalar>, held: Tensor<Scalar>, nextReturns: Tensor<Scalar>, nextFunding: Tensor<Scalar>,
        rolling: Tensor<Scalar>? = nil, fee: Scalar
    ) -> (netReturn: Tensor<Scalar>, nextHeld: Tensor<Scalar>) {
        let n = held.shape[1]
        let risky = weights.sliced(alongAxis: 1, 0..<n)
        let traded = (risky - held).abs()
        let turnover = (rolling.map { traded + $0 * (risky.abs() + held.abs() - traded) } ?? traded).sum(alongAxis: 1)
        let gross = (risky * nextReturns).sum(alongAxis: 1)
        let funding = (risky * nextFunding).sum(alongAxis: 1)
        let growth = (1 - turnover * fee) * (gross - funding + 1)
        let grossKept = gross.reshaped([held.shape[0], 1]) + 1
        let drifted = risky * (nextReturns + 1) / grossKept
        return (growth - 1, drifted)
    }
}
