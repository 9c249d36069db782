import Foundation
import Regimes

/// Probabilistic classification metrics of forecasts `[n][K]` against labels `[n]`.
package struct ClassificationMetrics: Sendable, Equatable, Codable {
    package let accuracy: Double
    /// Mean of per-class recalls over the classes that occur.
    package let balancedAccuracy: Double
    /// `-mean log p(y)`, probabilities clipped at 1e-12.
    package let logLoss: Double
    /// `mean sum_k (p_k - [y = k])^2`.
    package let brier: Double
    /// `confusion[actual][predicted]` counts.
    package let confusion: [[Int]]

    enum CodingKeys: String, CodingKey {
        case accuracy, brier, confusion
        case balancedAccuracy = "balanced_accuracy"
        case logLoss = "log_loss"
    }

    /// - Precondition: equal counts, at least one forecast, labels in `0..<K`.
    package init(probabilities: [[Double]], labels: [Int]) {
        precondition(!labels.isEmpty && probabilities.count == labels.count, "ClassificationMetrics: need one forecast per label")
        let k = probabilities[0].count
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: k), count: k)
        var logLoss = 0.0
        var brier = 0.0
        for (p, y) in zip(probabilities, labels) {
            let predicted = p.indices.max { p[$0] < p[$1] }!
            confusion[y][predicted] += 1
            logLoss -= Foundation.log(Swift.max(p[y], 1e-12))
            brier += p.enumerated().reduce(0) {
                $0 + ($1.element - ($1.offset == y ? 1 : 0)) * ($1.element - ($1.offset == y ? 1 : 0))
            }
        }
        let n = Double(labels.count)
        accuracy = Double((0..<k).reduce(0) { $0 + confusion[$1][$1] }) / n
        let recalls = (0..<k).compactMap { c -> Double? in
            let total = confusion[c].reduce(0, +)
            return total > 0 ? Double(confusion[c][c]) / Double(total) : nil
        }
        balancedAccuracy = recalls.reduce(0, +) / Double(recalls.count)
        self.logLoss = logLoss / n
        self.brier = brier / n
        self.confusion = confusion
    }
}
