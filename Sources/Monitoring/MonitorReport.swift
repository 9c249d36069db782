import Backtest
import Support

/// `monitor.json` (`regimen.monitor/v1`, contract section 12): what the monitor found, and
/// the alerts a scheduler acts on.
package struct MonitorReport: Encodable, Sendable {
    /// One alert: what crossed which threshold.
    package struct Alert: Encodable, Sendable, Equatable {
        /// `drift` (a feature's PSI above its threshold) or `parity` (a written weight that
        /// today's data no longer gives, or a date the job now refuses).
        package let kind: String
        /// The feature, or the date.
        package let subject: String
        /// The figure (nil for a refusal).
        @NullWhenAbsent package var value: Double?
        package let threshold: Double
    }

    /// The parity block: every date, and the largest difference over all of them.
    package struct ParityBlock: Encodable, Sendable {
        /// The largest difference (over assets and the cash line), its date and that date's
        /// risky asset with the largest difference (nil date and asset when it is 0).
        package let maxAbsDifference: Double
        @NullWhenAbsent package var date: String?
        @NullWhenAbsent package var asset: String?
        /// The first date that differs (or is refused): where a restatement begins.
        @NullWhenAbsent package var firstDifference: String?
        package let days: [Parity.Day]

        enum CodingKeys: String, CodingKey {
            case date, asset, days
            case maxAbsDifference = "max_abs_difference"
            case firstDifference = "first_difference"
        }
    }

    /// The drift block.
    package struct DriftBlock: Encodable, Sendable {
        package let threshold: Double
        package let features: [FeatureDrift.Feature]
    }

    /// The limits block: over the window's files, how many files each limit bound in.
    package struct LimitsBlock: Encodable, Sendable {
        package let files: Int
        package let binding: [String: Int]
    }

    /// A date range.
    package struct Span: Encodable, Sendable {
        package let from: String
        package let to: String
        /// Files (history) or rows (window, training range) in it.
        package let count: Int
    }

    package let schema = "regimen.monitor/v1"
    /// `NAME:VERSION` the `--model` reference resolves to (its features and training range).
    package let model: String
    package let history: Span
    /// The last `--window` data rows, ending at the newest history file.
    package let window: Span
    /// The model's training range (nil when none of its dates are rows of the data).
    @NullWhenAbsent package var train: Span?
    /// The replayed backtest file of the written weights; nil with fewer than 2 returns.
    @NullWhenAbsent package var live: BacktestFile?
    package let parity: ParityBlock
    package let drift: DriftBlock
    package let regimes: [RegimeShares.Label]
    package let limits: LimitsBlock
    package let alerts: [Alert]
}
