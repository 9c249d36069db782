import Foundation
import Support

/// Value at risk and expected shortfall of a return series (contract Appendix A). Losses are
/// positive fractions: a VaR of 0.03 is a 3% loss.
///
/// Horizon h > 1: historical and Cornish-Fisher figures use the n - h + 1 overlapping
/// h-period compounded returns `prod(1 + r) - 1`; the Gaussian figures scale the one-period
/// moments (`h * mean`, `sqrt(h) * sd`), the only place the square-root-of-time rule is used.
package struct TailRisk: Sendable, Equatable {
    /// Historical, Gaussian and Cornish-Fisher VaR.
    package let historicalVaR, gaussianVaR, cornishFisherVaR: Double
    /// Historical and Gaussian ES.
    package let historicalES, gaussianES: Double

    /// The tail figures of `returns` at `confidence` (0.99, not 99) over `horizon` periods.
    /// - Precondition: `0 < confidence < 1`, `horizon >= 1`, at least `horizon + 1` returns.
    package init(returns: [Double], confidence: Double, horizon: Int = 1) {
        precondition(confidence > 0 && confidence < 1, "TailRisk: confidence must be in (0, 1), got \(confidence)")
        precondition(
            horizon >= 1 && returns.count >= horizon + 1,
            "TailRisk: need at least horizon + 1 = \(horizon + 1) returns, got \(returns.count)")
        let p = 1 - confidence
        let z = NormalDistribution.quantile(p)
        let pooled = TailRisk.overlapping(returns, horizon: horizon)
        let historical = -Statistics.quantile(pooled, p)
        historicalVaR = historical
        historicalES = TailRisk.expectedShortfall(pooled, beyond: historical)
        let mean = Statistics.mean(returns) * Double(horizon)
        let sd = Statistics.standardDeviation(returns) * Double(horizon).squareRoot()
        gaussianVaR = -(mean + sd * z)
        gaussianES = -mean + sd * NormalDistribution.density(z) / p
        let m2 = Statistics.centralMoment(pooled, order: 2)
        let skew = Statistics.centralMoment(pooled, order: 3) / Foundation.pow(m2, 1.5)
        let kurtosis = Statistics.centralMoment(pooled, order: 4) / (m2 * m2) - 3
        let zcf = z + (z * z - 1) * skew / 6 + (z * z * z - 3 * z) * kurtosis / 24 - (2 * z * z * z - 5 * z) * skew * skew / 36
        cornishFisherVaR = -(Statistics.mean(pooled) + Statistics.standardDeviation(pooled) * zcf)
    }

    /// The historical expected shortfall of one-period `returns` at `confidence`:
    /// `-mean(r_i for r_i <= -VaR)`, `VaR = -quantile(r, 1 - c)` (contract Appendix A). Every
    /// ES Regimen checks or reports comes from here.
    /// - Precondition: `0 < confidence < 1`, at least 2 returns.
    package static func historicalExpectedShortfall(_ returns: [Double], confidence: Double) -> Double {
        precondition(
            confidence > 0 && confidence < 1 && returns.count >= 2, "TailRisk: need 2 returns and a confidence in (0, 1)")
        return expectedShortfall(returns, beyond: -Statistics.quantile(returns, 1 - confidence))
    }

    /// `-mean(r_i for r_i <= -valueAtRisk)`.
    static func expectedShortfall(_ returns: [Double], beyond valueAtRisk: Double) -> Double {
        -Statistics.mean(returns.filter { $0 <= -valueAtRisk })
    }

    /// The overlapping h-period compounded returns (the returns themselves for h = 1).
    static func overlapping(_ returns: [Double], horizon: Int) -> [Double] {
        guard horizon > 1 else { return returns }
        return (0...(returns.count - horizon)).map { start in
            returns[start..<(start + horizon)].reduce(1) { $0 * (1 + $1) } - 1
        }
    }
}
