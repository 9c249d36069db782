/// Infers periods per year from row dates (LESSONS 14: never assume 252 for crypto).
package enum PeriodsPerYear {
    /// 365 for daily rows that include weekends (crypto), 252 for daily rows without; for
    /// intraday rows, the same scaled by the rows per day implied by the median spacing.
    package static func infer(from dates: [Timestamp]) -> Double {
        guard dates.count >= 2 else { return 365 }
        let hasWeekend = dates.contains { $0.weekday >= 5 }
        let daysPerYear: Double = hasWeekend ? 365 : 252
        var gaps = zip(dates.dropFirst(), dates).map { $0.secondsSinceEpoch - $1.secondsSinceEpoch }
        gaps.sort()
        let median = Double(gaps[gaps.count / 2])
        if median >= 86_400 { return daysPerYear }
        return daysPerYear * (86_400 / median).rounded()
    }
}
