import Market
import Support

/// The walk-forward specification `TRAIN:TEST[:rolling|expanding]` of `evaluate`, `sweep` and
/// `regimen-bench` (contract section 8), parsed in this one place.
///
/// `TRAIN` and `TEST` are periods (`1461`) or calendar lengths (`4y`, `6m`, `90d`). Calendar
/// test folds start at the first return date and step by whole calendar units (a month from
/// the 31st ends on the last day of a shorter month; leap years count their extra day). A
/// trailing fold shorter than half a test length joins the previous fold, so no fold is a few
/// days long. The window defaults to `expanding`.
package struct WalkForwardSpec: Sendable, Equatable, CustomStringConvertible {
    /// A length in periods or in calendar units.
    package enum Length: Sendable, Equatable, CustomStringConvertible {
        case periods(Int)
        case days(Int)
        case months(Int)
        case years(Int)

        /// The largest count each unit takes (a century): no date or row arithmetic overflows.
        static let limits: [Character: Int] = ["d": 36_500, "m": 1_200, "y": 100]
        /// The most periods a length may have.
        static let periodLimit = 1_000_000

        /// Parses `1461`, `90d`, `6m` or `4y`; nil for anything else or a count out of range.
        init?(parsing text: Substring) {
            guard let unit = text.last else { return nil }
            if unit.isNumber {
                guard let count = Int(text), count >= 1, count <= Self.periodLimit else { return nil }
                self = .periods(count)
                return
            }
            guard let limit = Self.limits[unit], let count = Int(text.dropLast()), count >= 1, count <= limit else { return nil }
            switch unit {
            case "d": self = .days(count)
            case "m": self = .months(count)
            default: self = .years(count)
            }
        }

        package var description: String {
            switch self {
            case .periods(let n): "\(n)"
            case .days(let n): "\(n)d"
            case .months(let n): "\(n)m"
            case .years(let n): "\(n)y"
            }
        }

        /// `date` moved by this calendar length, `times` times (negative: back); nil for periods.
        func shifting(_ date: Timestamp, times: Int) -> Timestamp? {
            let (year, month, day) = date.civilDate
            switch self {
            case .periods: return nil
            case .days(let n): return Timestamp(secondsSinceEpoch: Int64(date.dayNumber + n * times) * 86_400, isDateOnly: true)
            case .months(let n): return Self.date(year: year, monthIndex: month - 1 + n * times, day: day)
            case .years(let n): return Self.date(year: year, monthIndex: month - 1 + 12 * n * times, day: day)
            }
        }

        /// The date `monthIndex` months (0-based, may run past 11 or below 0) into `year`, its
        /// day clamped to the month's length.
        static func date(year: Int, monthIndex: Int, day: Int) -> Timestamp {
            let y = year + Int((Double(monthIndex) / 12).rounded(.down))
            let m = monthIndex - 12 * (y - year) + 1
            let first = Timestamp(year: y, month: m, day: 1).dayNumber
            let next = m == 12 ? Timestamp(year: y + 1, month: 1, day: 1) : Timestamp(year: y, month: m + 1, day: 1)
            return Timestamp(year: y, month: m, day: min(day, next.dayNumber - first))
        }
    }

    /// A specification that does not parse or does not fit the data: a usage problem (64).
    package struct Problem: ReportableError, Equatable {
        package let description: String
        package var exitStatus: Int32 { ExitStatus.usage }
    }

    /// The grammar, for messages and help texts.
    package static let grammar = "TRAIN:TEST[:rolling|expanding], lengths in periods (1461) or calendar units (4y, 6m, 90d)"

    package let train: Length
    package let test: Length
    package let window: WalkForward.Window

    package init(train: Length, test: Length, window: WalkForward.Window) {
        self.train = train
        self.test = test
        self.window = window
    }

    /// Parses `TRAIN:TEST[:rolling|expanding]`.
    /// - Parameter option: how the user wrote the key (`--walk-forward`, `walk_forward`).
    package init(parsing text: String, option: String = "--walk-forward") throws(Problem) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, let train = Length(parsing: parts[0]), let test = Length(parsing: parts[1]),
            let window = parts.count == 3 ? WalkForward.Window(rawValue: String(parts[2])) : .expanding
        else {
            throw Problem(
                description:
                    "\(option) must be \(Self.grammar), at most \(Length.periodLimit) periods, 100y, 1200m or 36500d; found '\(text)'"
            )
        }
        self.init(train: train, test: test, window: window)
    }

    package var description: String { "\(train):\(test):\(window.rawValue)" }
}
