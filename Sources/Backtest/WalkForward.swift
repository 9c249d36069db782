/// Walk-forward folds as pure index ranges (skfolio's splitters): each fold has a training
/// range and the test range right after it; test ranges tile the evaluation range without
/// overlap. `WalkForwardSpec` parses a specification and generates them.
package enum WalkForward {
    /// One fold: rows to fit on, rows to test on (return rows).
    package struct Fold: Sendable, Equatable {
        package let train: ClosedRange<Int>
        package let test: ClosedRange<Int>

        package init(train: ClosedRange<Int>, test: ClosedRange<Int>) {
            self.train = train
            self.test = test
        }
    }

    /// Whether training windows grow from the start or keep a fixed length.
    package enum Window: String, Sendable { case expanding, rolling }
}
