import Foundation
import Risk
import Support

/// Sharpe-ratio statistics of Bailey and Lopez de Prado, on per-period (not annualised)
/// Sharpe ratios: the probabilistic Sharpe ratio (2012) and the deflated Sharpe ratio (2014),
/// which deflates for the number of strategies tried (LESSONS 16).
package enum SharpeStatistics {
    /// `mean(r) / sd(r)` (ddof 1); nil when sd is 0.
    package static func sharpe(_ r: [Double]) -> Double? {
        let sd = Statistics.standardDeviation(r)
        return sd > 0 ? Statistics.mean(r) / sd : nil
    }

    /// `PSR(SR*) = Phi((SR - SR*) sqrt(n - 1) / sqrt(1 - g3 SR + (g4 - 1)/4 SR^2))` with
    /// population skewness g3 and (non-excess) kurtosis g4; nil when undefined.
    package static func probabilisticSharpe(_ r: [Double], benchmark: Double = 0) -> Double? {
        guard r.count >= 3, let sr = sharpe(r) else { return nil }
        let m2 = Statistics.centralMoment(r, order: 2)
        let g3 = Statistics.centralMoment(r, order: 3) / Foundation.pow(m2, 1.5)
        let g4 = Statistics.centralMoment(r, order: 4) / (m2 * m2)
        let denominator = 1 - g3 * sr + (g4 - 1) / 4 * sr * sr
        guard denominator > 0 else { return nil }
        return NormalDistribution.cumulative((sr - benchmark) * Double(r.count - 1).squareRoot() / denominator.squareRoot())
    }

    /// `DSR = PSR(SR*_0)` with `SR*_0 = sqrt(V) ((1 - gamma) Phi^-1(1 - 1/N) + gamma Phi^-1(1 - 1/(N e)))`,
    /// N the strategies tried and V the variance (ddof 1) of their per-period Sharpe ratios.
    /// - Parameter trials: the number of strategies tried on these dates when more were tried
    ///   than `trialSharpes` holds (N is the larger; V stays the given Sharpes' variance).
    package static func deflatedSharpe(_ r: [Double], trialSharpes: [Double], trials: Int? = nil) -> Double? {
        let n = Double(max(trialSharpes.count, trials ?? 0))
        guard trialSharpes.count >= 2 else { return probabilisticSharpe(r) }
        let variance = Foundation.pow(Statistics.standardDeviation(trialSharpes), 2)
        let gamma = 0.5772156649015329
        let expectedMaximum =
            variance.squareRoot()
            * ((1 - gamma) * NormalDistribution.quantile(1 - 1 / n) + gamma
                * NormalDistribution.quantile(1 - 1 / (n * Foundation.exp(1))))
        return probabilisticSharpe(r, benchmark: expectedMaximum)
    }
}
