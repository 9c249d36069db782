import Optimizers
import TensorModule
import Testing

/// Early stopping keeps the parameters of the best score in its goal's direction, counts
/// the epochs since, and restores the best at the end.
@Suite("Early stopping")
struct EarlyStoppingTests {
    /// Scores of successive epochs; the parameter is set to the epoch number before each.
    static let cases: [(goal: EarlyStopping<Double>.Goal, start: Double?, scores: [Double?], best: Double, stopsAfter: Int?)] =
        [
            (.maximise, nil, [0.1, 0.3, 0.2, 0.25], 2, nil),
            (.maximise, 0.5, [0.1, 0.3, 0.2], 0, 3),
            (.maximise, nil, [nil, 0.1, nil, nil, nil], 2, 5),
            (.minimise, nil, [1.0, 0.5, 0.7, 0.4, 0.6], 4, nil),
            // Improvements smaller than the minimum do not count (negative control for the margin).
            (.minimise, nil, [1.0, 1.0 - 1e-9, 1.0 - 2e-9, 1.0 - 3e-9], 1, 4),
        ]

    @Test("best parameters, patience and restore", arguments: cases.indices)
    func bestAndPatience(index: Int) {
        let testCase = Self.cases[index]
        let p = Parameter(Tensor<Double>(shape: [1], scalars: [0]), name: "p")
        var stopping = EarlyStopping(
            goal: testCase.goal, patience: 3, minimumImprovement: 1e-6, startingScore: testCase.start, parameters: [p])
        var stoppedAfter: Int?
        for (epoch, score) in testCase.scores.enumerated() {
            p.assign(Tensor(shape: [1], scalars: [Double(epoch + 1)]))
            stopping.record(score, parameters: [p])
            if stopping.shouldStop && stoppedAfter == nil { stoppedAfter = epoch + 1 }
        }
        #expect(stoppedAfter == testCase.stopsAfter)
        stopping.restoreBest(into: [p])
        #expect(p.value.scalars == [testCase.best])
    }
}
