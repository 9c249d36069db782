import Foundation

/// Sample statistics with the contract's conventions: `ddof = 1` unless stated, quantiles
/// by NumPy's linear method (Hyndman-Fan type 7) in the contract's order of operations.
package enum Statistics {
    /// The arithmetic mean (nan for no values).
    package static func mean(_ values: [Double]) -> Double { mean(values[...]) }

    /// The arithmetic mean of a window (nan for no values). Concrete, not generic: these run
    /// in every feature's inner loop, and a generic across modules is not specialised.
    package static func mean(_ values: ArraySlice<Double>) -> Double {
        values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
    }

    /// The sample standard deviation, dividing by n - 1 (nan below 2 values).
    package static func standardDeviation(_ values: [Double]) -> Double { standardDeviation(values[...]) }

    /// The sample standard deviation of a window, dividing by n - 1 (nan below 2 values).
    package static func standardDeviation(_ values: ArraySlice<Double>) -> Double {
        guard values.count >= 2 else { return .nan }
        let m = values.reduce(0, +) / Double(values.count)
        return (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1)).squareRoot()
    }

    /// The k-th central moment dividing by n: `mean((x - mean)^k)`.
    package static func centralMoment(_ values: [Double], order k: Int) -> Double {
        let m = mean(values)
        return values.reduce(0) { $0 + Foundation.pow($1 - m, Double(k)) } / Double(values.count)
    }

    /// NumPy's linear quantile (contract Appendix A, in its order of Float64 operations):
    /// `h = (n q + (1 - q)) - 1`, `j = floor(h)`, `g = h - j`; `a_j + (a_{j+1} - a_j) g` when
    /// `g < 0.5`, else `a_{j+1} - (a_{j+1} - a_j)(1 - g)`.
    /// - Precondition: at least one value; `0 <= q <= 1`.
    package static func quantile(_ values: [Double], _ q: Double) -> Double {
        precondition(!values.isEmpty && q >= 0 && q <= 1, "quantile: need values and 0 <= q <= 1")
        let a = values.sorted()
        let n = Double(a.count)
        let h = (n * q + (1 - q)) - 1
        let j = Int(h.rounded(.down))
        let g = h - Double(j)
        let lower = a[max(0, min(j, a.count - 1))]
        let upper = a[max(0, min(j + 1, a.count - 1))]
        return g < 0.5 ? lower + (upper - lower) * g : upper - (upper - lower) * (1 - g)
    }

    /// Sums of cross products and squares about the means of two equal-length series,
    /// two-pass as NumPy computes them: divide by n - 1 for the sample covariance and
    /// variances, or take `xy / sqrt(xx yy)` for the correlation.
    package static func jointMoments(_ x: ArraySlice<Double>, _ y: ArraySlice<Double>) -> (xy: Double, xx: Double, yy: Double) {
        let mx = mean(x)
        let my = mean(y)
        var sxy = 0.0
        var sxx = 0.0
        var syy = 0.0
        for (a, b) in zip(x, y) {
            sxy += (a - mx) * (b - my)
            sxx += (a - mx) * (a - mx)
            syy += (b - my) * (b - my)
        }
        return (sxy, sxx, syy)
    }
}
