import Foundation
import Support

/// The metrics of a net return series (contract Appendix A, "Metrics"); a ratio whose
/// denominator is zero is nil (JSON null), never NaN or a huge number.
package struct PerformanceMetrics: Sendable, Equatable {
    /// `prod(1 + r)`.
    package let finalWealth: Double
    /// `finalWealth^(P/n) - 1`.
    package let cagr: Double
    /// `sd(r) sqrt(P)`.
    package let volAnnual: Double
    /// `mean(r) / sd(r) sqrt(P)`.
    package let sharpe: Double?
    /// `mean(r) / sqrt(mean(min(r, 0)^2)) sqrt(P)`.
    package let sortino: Double?
    /// `max_t (1 - W_t / max_{s <= t} W_s)` with `W_0 = 1`.
    package let maxDrawdown: Double
    /// `cagr / maxDrawdown`.
    package let calmar: Double?
    /// Historical VaR and ES at 0.99 of the returns.
    package let valueAtRisk: Double
    package let expectedShortfall: Double

    /// The metrics of `returns` with `periodsPerYear` periods a year.
    /// - Precondition: at least 2 returns.
    package init(returns: [Double], periodsPerYear: Double) {
        precondition(returns.count >= 2, "PerformanceMetrics: need at least 2 returns")
        let n = Double(returns.count)
        var wealth = 1.0
        let path = returns.map { r in
            wealth *= 1 + r
            return wealth
        }
        let drawdown = Drawdown.maximum(wealth: path)
        finalWealth = wealth
        cagr = Foundation.pow(wealth, periodsPerYear / n) - 1
        let sd = Statistics.standardDeviation(returns)
        let mean = Statistics.mean(returns)
        volAnnual = sd * periodsPerYear.squareRoot()
        sharpe = sd > 0 ? mean / sd * periodsPerYear.squareRoot() : nil
        let downside = (returns.reduce(0) { $0 + Swift.min($1, 0) * Swift.min($1, 0) } / n).squareRoot()
        sortino = downside > 0 ? mean / downside * periodsPerYear.squareRoot() : nil
        maxDrawdown = drawdown
        calmar = drawdown > 0 ? cagr / drawdown : nil
        let tail = TailRisk(returns: returns, confidence: 0.99)
        valueAtRisk = tail.historicalVaR
        expectedShortfall = tail.historicalES
    }
}
