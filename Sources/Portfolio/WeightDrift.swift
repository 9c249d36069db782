/// How held weights move between trades (contract Appendix A, "Accounting"): after a
/// period with simple returns `r`, `w_i` becomes `w_i (1 + r_i) / (c + sum_j w_j (1 + r_j))`,
/// cash `c = 1 - sum w` unchanged in value. The simulator, the daily job's held weights and
/// (in tensor form, tested equal) the differentiable accounting of training all drift so.
package enum WeightDrift {
    /// The weights after one period.
    /// - Parameters:
    ///   - weights: the weights held during the period, one per asset (cash is the rest).
    ///   - optionsGain: what an options overlay gained over the period (its value after minus
    ///     before, as a fraction of NAV; its value sits in the cash line `1 - sum w`).
    ///   - returns: each asset's simple return over the period; read only where the weight
    ///     is non-zero.
    package static func drifted(_ weights: [Double], optionsGain: Double = 0, returns: (Int) -> Double) -> [Double] {
        var grown = [Double](repeating: 0, count: weights.count)
        for asset in weights.indices where weights[asset] != 0 { grown[asset] = weights[asset] * (1 + returns(asset)) }
        let cash = 1 - weights.reduce(0, +)
        let total = grown.reduce(0, +) + cash + optionsGain
        return grown.map { $0 / total }
    }
}
