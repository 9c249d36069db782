import Market

extension WalkForwardSpec {
    /// The folds over return rows `range` of a market whose rows are dated `dates`: test
    /// ranges that tile `range`, each with its training rows before it.
    /// - Throws: `Problem` when the training length does not fit before the first test row.
    package func folds<Dates: RandomAccessCollection<Timestamp>>(dates: Dates, returnRows range: ClosedRange<Int>) throws(Problem)
        -> [WalkForward.Fold] where Dates.Index == Int
    {
        let tests = testRanges(dates: dates, returnRows: range)
        var folds: [WalkForward.Fold] = []
        for test in tests {
            let anchor = window == .rolling ? test.lowerBound : range.lowerBound
            let start = try trainingStart(before: anchor, dates: dates)
            folds.append(WalkForward.Fold(train: start...(test.lowerBound - 1), test: test))
        }
        return folds
    }

    /// The first training row for a test starting at row `anchor` (rolling: the fold's own
    /// start; expanding: the range's start).
    func trainingStart<Dates: RandomAccessCollection<Timestamp>>(before anchor: Int, dates: Dates) throws(Problem) -> Int
    where Dates.Index == Int {
        let first: Int?
        if case .periods(let count) = train {
            first = anchor - count >= 0 ? anchor - count : nil
        } else {
            let since = train.shifting(dates[anchor].day, times: -1)!
            first = dates[dates.startIndex].day <= since ? dates.firstIndex { $0.day >= since } : nil
        }
        guard let first, first < anchor else {
            throw Problem(
                description:
                    "the walk-forward training length \(train) does not fit before \(dates[anchor].day) (the data start \(dates[dates.startIndex].day))"
            )
        }
        return first
    }

    /// The test ranges tiling `range`: consecutive runs of `test` periods, or of the rows
    /// within consecutive calendar lengths from the first return date; a last run shorter
    /// than half a test length joins the one before it.
    func testRanges<Dates: RandomAccessCollection<Timestamp>>(dates: Dates, returnRows range: ClosedRange<Int>) -> [ClosedRange<
        Int
    >]
    where Dates.Index == Int {
        var ranges: [ClosedRange<Int>] = []
        var lastIsShort = false
        var start = range.lowerBound
        var step = 0
        let origin = dates[range.lowerBound].day
        while start <= range.upperBound {
            let end: Int
            if case .periods(let count) = test {
                end = min(start + count - 1, range.upperBound)
                lastIsShort = 2 * (end - start + 1) < count
            } else {
                let from = test.shifting(origin, times: step)!
                let until = test.shifting(origin, times: step + 1)!
                step += 1
                guard dates[start].day < until else { continue }
                var row = start
                while row < range.upperBound && dates[row + 1].day < until { row += 1 }
                end = row
                lastIsShort =
                    end == range.upperBound
                    && 2 * (dates[end].day.dayNumber - from.dayNumber + 1) < until.dayNumber - from.dayNumber
            }
            ranges.append(start...end)
            start = end + 1
        }
        if lastIsShort && ranges.count >= 2 {
            let short = ranges.removeLast()
            ranges[ranges.count - 1] = ranges[ranges.count - 1].lowerBound...short.upperBound
        }
        return ranges
    }
}

extension WalkForwardSpec {
    /// The first row a test may start at: the earliest with a whole training length before
    /// it (nil when the data are shorter than that).
    package func firstTestRow<Dates: RandomAccessCollection<Timestamp>>(dates: Dates) -> Int? where Dates.Index == Int {
        dates.indices.dropFirst().first { (try? trainingStart(before: $0, dates: dates)) != nil }
    }
}
