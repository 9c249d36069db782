import Support

/// The stationary block bootstrap (Politis and Romano 1994) of the difference of two
/// annualised Sharpe ratios measured on the same periods: blocks start at uniform
/// positions, have geometric lengths with mean `meanBlockLength`, wrap around, and take
/// the same periods from both series so their dependence is kept.
package struct SharpeDifferenceTest: Sendable, Equatable {
    /// `(SR_a - SR_b) sqrt(P)` on the original series.
    package let difference: Double
    /// The 2.5% and 97.5% percentiles of the bootstrap differences.
    package let lower: Double
    package let upper: Double
    /// Two-sided p-value of no difference: the share of centred bootstrap differences at
    /// least as far from 0 as the observed one.
    package let pValue: Double
    /// The share of resamples in which the first series' Sharpe exceeds the second's (the
    /// verdict's `p_better`).
    package let shareAboveZero: Double

    /// - Precondition: equal lengths of at least 10.
    package init(
        _ a: [Double], _ b: [Double], periodsPerYear: Double, resamples: Int = 2000, meanBlockLength: Double = 10,
        seed: UInt64 = 7
    ) {
        precondition(a.count == b.count && a.count >= 10, "SharpeDifferenceTest: need two equal series of at least 10 returns")
        let n = a.count
        let scale = periodsPerYear.squareRoot()
        func diff(_ x: [Double], _ y: [Double]) -> Double {
            ((SharpeStatistics.sharpe(x) ?? 0) - (SharpeStatistics.sharpe(y) ?? 0)) * scale
        }
        let observedDifference = diff(a, b)
        difference = observedDifference
        var generator = SeededGenerator(seed: seed)
        let restart = 1 / meanBlockLength
        var samples: [Double] = []
        samples.reserveCapacity(resamples)
        var x = [Double](repeating: 0, count: n)
        var y = x
        for _ in 0..<resamples {
            var position = Int(generator.next() % UInt64(n))
            for t in 0..<n {
                if t > 0 {
                    position = generator.nextUnitInterval() < restart ? Int(generator.next() % UInt64(n)) : (position + 1) % n
                }
                x[t] = a[position]
                y[t] = b[position]
            }
            samples.append(diff(x, y))
        }
        shareAboveZero = Double(samples.filter { $0 > 0 }.count) / Double(resamples)
        samples.sort()
        lower = samples[Int(0.025 * Double(resamples - 1))]
        upper = samples[Int((0.975 * Double(resamples - 1)).rounded())]
        let observed = Swift.abs(observedDifference)
        pValue = Double(samples.filter { Swift.abs($0 - observedDifference) >= observed }.count) / Double(resamples)
    }
}
