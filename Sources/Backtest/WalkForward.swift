/// Walk-forward folds as pure index generators (skfolio's splitters): each fold has a
/// training range and the test range right after it; test ranges tile the evaluation range
/// without overlap.
package struct WalkForward: Sendable, Equatable {
    /// One fold: rows to fit on, rows to test on (return rows).
    package struct Fold: Sendable, Equatable {
        package let train: ClosedRange<Int>
        package let test: ClosedRange<Int>
    }

    /// Whether training windows grow from the start or keep a fixed length.
    package enum Window: String, Sendable { case expanding, rolling }

    package let folds: [Fold]

    /// Folds over return rows `range`: test windows of `testLength` rows (the last may be
    /// shorter), each trained on the `trainLength` rows before it (rolling) or on every row
    /// from `range`'s start minus `trainLength` (expanding).
    /// - Precondition: positive lengths, `range.lowerBound - trainLength >= 0`.
    package init(range: ClosedRange<Int>, trainLength: Int, testLength: Int, window: Window) {
        precondition(
            trainLength > 0 && testLength > 0 && range.lowerBound - trainLength >= 0,
            "WalkForward: positive lengths, and \(trainLength) training rows before the first test row")
        var folds: [Fold] = []
        var start = range.lowerBound
        while start <= range.upperBound {
            let end = min(start + testLength - 1, range.upperBound)
            let trainStart = window == .rolling ? start - trainLength : range.lowerBound - trainLength
            folds.append(Fold(train: trainStart...(start - 1), test: start...end))
            start = end + 1
        }
        self.folds = folds
    }
}
