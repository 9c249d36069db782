extension Dataset {
    /// The row dated `date`: the same calendar day for daily data, the same instant for
    /// intraday data; nil when there is none.
    package func row(at date: Timestamp) -> Int? {
        if date.isDateOnly {
            let day = date.dayNumber
            return dates.lastIndex { $0.dayNumber == day }
        }
        return dates.firstIndex(of: date)
    }
}
