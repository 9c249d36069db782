/// Drawdowns of a wealth path, as positive fractions (contract Appendix A): at each date
/// `1 - W_t / max_{0<=s<=t} W_s` with the starting wealth `W_0 = 1` included.
package enum Drawdown {
    /// The drawdown at every point of `wealth` (`W_1, W_2, ...`; `W_0 = 1` is implied).
    package static func series(wealth: [Double]) -> [Double] {
        var peak = 1.0
        return wealth.map { w in
            peak = max(peak, w)
            return 1 - w / peak
        }
    }

    /// The largest drawdown of `wealth` (0 for a path that never falls below its peak).
    package static func maximum(wealth: [Double]) -> Double {
        series(wealth: wealth).reduce(0, max)
    }
}
