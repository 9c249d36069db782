/// Statistics of complete windows, computed two-pass (mean first, then deviations) as NumPy
/// does, so values agree with the reference to rounding. All return nil when a value in
/// the window is missing (`nan`) or the window does not fit.
enum WindowStatistics {
    /// `values[end-count+1 ... end]`, or nil when incomplete.
    static func window(_ values: [Double], end: Int, count: Int) -> ArraySlice<Double>? {
        guard end - count + 1 >= 0 else { return nil }
        let slice = values[(end - count + 1)...end]
        return slice.contains(where: \.isNaN) ? nil : slice
    }

    /// The mean.
    static func mean(_ values: ArraySlice<Double>) -> Double {
        values.reduce(0, +) / Double(values.count)
    }

    /// The sample standard deviation (n - 1); nil for fewer than 2 values.
    static func standardDeviation(_ values: some Collection<Double>) -> Double? {
        guard values.count >= 2 else { return nil }
        let m = values.reduce(0, +) / Double(values.count)
        let squares = values.reduce(0) { $0 + ($1 - m) * ($1 - m) }
        return (squares / Double(values.count - 1)).squareRoot()
    }

    /// Sample covariance and variances of two equal-length windows (n - 1).
    static func moments(_ x: ArraySlice<Double>, _ y: ArraySlice<Double>) -> (
        covariance: Double, varianceX: Double, varianceY: Double
    ) {
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
        let d = Double(x.count - 1)
        return (sxy / d, sxx / d, syy / d)
    }
}
