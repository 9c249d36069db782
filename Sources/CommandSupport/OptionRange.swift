import ArgumentParser

/// The ranges the numeric options of the commands must lie in, checked in `validate()` (64)
/// with the bound named, so that no option, however hostile, reaches an overflow or a trap.
package enum OptionRange {
    /// Returns in an estimation or risk window (a century of hourly rows is below it).
    package static let window = 2...1_000_000
    /// Periods of a risk horizon.
    package static let horizon = 1...3_650
    /// Periods ahead a regime classifier forecasts (0: nowcast); the data bound it further.
    package static let regimeHorizon = 0...3_650
    /// Random restarts of a regime fit (the training config's `regime_restarts` range).
    package static let restarts = 1...100
    /// A VaR or ES confidence (below 0.5 it is not a tail; above 0.9999 no window resolves it).
    package static let confidence = 0.5...0.9999
    /// A fee in basis points of traded weight: at most 10%, so that one period's costs (at
    /// most twice the fee: both legs of a switch or a roll) can never take all the wealth.
    package static let feeBasisPoints = 0.0...1_000

    /// Refuses `value` of `option` outside `range`, naming both.
    package static func check<Value: Comparable>(_ value: Value, in range: ClosedRange<Value>, option: String) throws {
        guard range.contains(value) else {
            throw ValidationError("\(option) must be from \(range.lowerBound) to \(range.upperBound); found \(value)")
        }
    }
}
