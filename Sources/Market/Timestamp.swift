/// A point in time on the UTC calendar, at second resolution: a daily row's date
/// (`YYYY-MM-DD`, midnight UTC) or an intraday row's RFC 3339 UTC time
/// (`YYYY-MM-DDTHH:MM:SSZ`).
///
/// Calendar arithmetic is done by hand (Hinnant's days-from-civil algorithm) rather than
/// with `DateFormatter`, so parsing is locale-free, exact and fast.
package struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Seconds since 1970-01-01T00:00:00Z.
    package let secondsSinceEpoch: Int64
    /// Whether it was written (and is printed) as a date without a time.
    package let isDateOnly: Bool

    /// A timestamp from seconds since the epoch.
    package init(secondsSinceEpoch: Int64, isDateOnly: Bool) {
        self.secondsSinceEpoch = secondsSinceEpoch
        self.isDateOnly = isDateOnly
    }

    /// Midnight UTC of a calendar date.
    /// - Precondition: a valid date.
    package init(year: Int, month: Int, day: Int) {
        precondition(Timestamp.isValid(year: year, month: month, day: day), "Timestamp: invalid date \(year)-\(month)-\(day)")
        self.init(secondsSinceEpoch: Int64(Timestamp.daysFromCivil(year, month, day)) * 86_400, isDateOnly: true)
    }

    /// Parses `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SSZ` (seconds may carry a fraction of 1 to 9
    /// digits, which is dropped); `nil` for anything else.
    package init?(parsing text: some StringProtocol) {
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                guard index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 else { return nil }
                value = value * 10 + Int(bytes[index] - 48)
            }
            return value
        }
        guard bytes.count >= 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            Timestamp.isValid(year: year, month: month, day: day)
        else { return nil }
        let days = Int64(Timestamp.daysFromCivil(year, month, day))
        if bytes.count == 10 {
            self.init(secondsSinceEpoch: days * 86_400, isDateOnly: true)
            return
        }
        guard bytes.count >= 20, bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
            bytes.last == UInt8(ascii: "Z"), let hour = number(11..<13), let minute = number(14..<16),
            let second = number(17..<19), hour < 24, minute < 60, second < 60
        else { return nil }
        if bytes.count > 20 {
            // Only a fraction of a second (1 to 9 digits, read as digits, never accumulated)
            // may stand between the seconds and the Z.
            let fraction = bytes[20..<(bytes.count - 1)]
            guard bytes[19] == UInt8(ascii: "."), (1...9).contains(fraction.count),
                fraction.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
            else { return nil }
        }
        self.init(secondsSinceEpoch: days * 86_400 + Int64(hour * 3600 + minute * 60 + second), isDateOnly: false)
    }

    /// Days since 1970-01-01 (floor division for times of day).
    package var dayNumber: Int { Int((secondsSinceEpoch >= 0 ? secondsSinceEpoch : secondsSinceEpoch - 86_399) / 86_400) }

    /// The UTC calendar date as (year, month, day).
    package var civilDate: (year: Int, month: Int, day: Int) { Timestamp.civilFromDays(dayNumber) }

    /// Day of the week, 0 = Monday ... 6 = Sunday.
    package var weekday: Int { ((dayNumber % 7) + 7 + 3) % 7 }

    /// This timestamp's calendar day at midnight UTC, as a date-only timestamp.
    package var day: Timestamp { Timestamp(secondsSinceEpoch: Int64(dayNumber) * 86_400, isDateOnly: true) }

    /// `YYYY-MM-DD`, or `YYYY-MM-DDTHH:MM:SSZ` for intraday timestamps.
    package var description: String {
        let (y, m, d) = civilDate
        let date = "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
        if isDateOnly { return date }
        let seconds = Int(secondsSinceEpoch - Int64(dayNumber) * 86_400)
        return "\(date)T\(pad(seconds / 3600, 2)):\(pad(seconds / 60 % 60, 2)):\(pad(seconds % 60, 2))Z"
    }

    package static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.secondsSinceEpoch < rhs.secondsSinceEpoch }

    package static func == (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.secondsSinceEpoch == rhs.secondsSinceEpoch }

    package func hash(into hasher: inout Hasher) { hasher.combine(secondsSinceEpoch) }

    static func isValid(year: Int, month: Int, day: Int) -> Bool {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1 else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= lengths[month - 1]
    }

    /// Hinnant's `days_from_civil`: days since 1970-01-01 of a proleptic Gregorian date.
    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Hinnant's `civil_from_days`.
    static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

private func pad(_ value: Int, _ width: Int) -> String {
    let text = String(value)
    return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
}
