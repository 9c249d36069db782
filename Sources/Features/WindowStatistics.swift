import Support

/// Complete windows of a series and their joint moments, computed two-pass (mean first,
/// then deviations) as NumPy does, so values agree with the reference to rounding. One-series
/// statistics are `Statistics` (Support).
enum WindowStatistics {
    /// `values[end-count+1 ... end]`, or nil when incomplete.
    static func window(_ values: [Double], end: Int, count: Int) -> ArraySlice<Double>? {
        guard end - count + 1 >= 0 else { return nil }
        let slice = values[(end - count + 1)...end]
        return slice.contains(where: \.isNaN) ? nil : slice
    }

    /// Sample covariance and variances of two equal-length windows (n - 1).
    static func moments(_ x: ArraySlice<Double>, _ y: ArraySlice<Double>) -> (
        covariance: Double, varianceX: Double, varianceY: Double
    ) {
        let (sxy, sxx, syy) = Statistics.jointMoments(x, y)
        let d = Double(x.count - 1)
        return (sxy / d, sxx / d, syy / d)
    }
}
