import Foundation
import LinearAlgebra
import Portfolio

/// One online portfolio selection rule as a state machine (contract Appendix A): `decision`
/// is the portfolio for the next period; `observe(_:)` takes that period's price relatives
/// and updates from the rule's own previous decision (never from drifted weights). Used
/// period by period in backtests and over a window for one-off allocations, so both share
/// one implementation.
package struct OnlinePortfolio: Sendable {
    /// The rule.
    package let rule: BaselineName
    /// The portfolio for the next period, over the rule's assets.
    package private(set) var decision: [Double]
    private let m: Int
    /// Relatives seen so far (OLMAR and Anticor look back over them).
    private var relatives: [[Double]] = []
    /// ONS state: `A` and the running sum of gradients.
    private var onsMatrix: [Double] = []
    private var onsGradientSum: [Double] = []
    /// Anticor state: each expert's portfolio and wealth.
    private var anticorPortfolios: [[Double]] = []
    private var anticorWealth: [Double] = []

    static let anticorWindow = 30, olmarWindow = 5

    /// A rule over `assets` assets, starting uniform.
    /// - Precondition: an online rule other than `bcrp` (which needs hindsight).
    package init(_ rule: BaselineName, assets: Int) {
        precondition(rule.isOnline && !rule.usesHindsight, "OnlinePortfolio: \(rule.rawValue) is not an incremental online rule")
        self.rule = rule
        self.m = assets
        decision = Array(repeating: 1 / Double(assets), count: assets)
        if rule == .onlineNewtonStep {
            onsMatrix = (0..<(assets * assets)).map { $0 % (assets + 1) == 0 ? 1 : 0 }
            onsGradientSum = Array(repeating: 0, count: assets)
        }
        if rule == .anticor {
            anticorPortfolios = (2...Self.anticorWindow).map { _ in decision }
            anticorWealth = Array(repeating: 1, count: Self.anticorWindow - 1)
        }
    }

    /// Updates after a period with price relatives `x` (one per asset).
    package mutating func observe(_ x: [Double]) {
        precondition(x.count == m, "OnlinePortfolio: \(x.count) relatives for \(m) assets")
        relatives.append(x)
        switch rule {
        case .constantRebalanced: break
        case .buyAndHold:
            let grown = zip(decision, x).map { $0 * $1 }
            let total = grown.reduce(0, +)
            decision = grown.map { $0 / total }
        case .exponentiatedGradient: decision = OnlineRules.exponentiatedGradient(decision, x, eta: 0.05)
        case .pamr: decision = OnlineRules.pamr(decision, x, epsilon: 0.5)
        case .olmar: decision = OnlineRules.olmarStep(decision, relatives: relatives, window: Self.olmarWindow, epsilon: 10)
        case .onlineNewtonStep: observeONS(x)
        case .anticor: observeAnticor()
        default: preconditionFailure("OnlinePortfolio: \(rule.rawValue)")
        }
    }

    /// ONS with delta 0.125, beta 1, eta 0 (see `OnlineRules`).
    private mutating func observeONS(_ x: [Double]) {
        let (delta, beta, eta) = (0.125, 1.0, 0.0)
        let growth = OnlineRules.dot(decision, x)
        let g = x.map { $0 / growth }
        for i in 0..<m {
            onsGradientSum[i] += g[i]
            for j in 0..<m { onsMatrix[i * m + j] += g[i] * g[j] }
        }
        let v = onsGradientSum.map { (1 + 1 / beta) * $0 }
        // The matrix is I + sum g g^T, positive definite while the gradients are finite; a
        // period so extreme that they are not (a price relative that overflows) leaves the
        // decision where it was rather than trapping.
        guard let factor = try? Cholesky(symmetric: onsMatrix, order: m) else { return }
        let q = factor.solve(v).map { delta * $0 }
        let aq = (0..<m).map { i in (0..<m).reduce(0) { $0 + onsMatrix[i * m + $1] * q[$1] } }
        // Cannot throw: SimplexQP fails only when no entry of `a` is positive; here a = 1.
        let projected = try! SimplexQP.solve(q: onsMatrix.map { 2 * $0 }, c: aq.map { -2 * $0 }, a: Array(repeating: 1, count: m))
            .x
        let mixed = projected.map { (1 - eta) * max($0, 0) + eta / Double(m) }
        let total = mixed.reduce(0, +)
        decision = mixed.map { $0 / total }
    }

    /// Anticor's experts w = 2...30, combined by wealth (see `Anticor`).
    private mutating func observeAnticor() {
        let k = relatives.count
        let x = relatives[k - 1]
        for e in anticorPortfolios.indices { anticorWealth[e] *= OnlineRules.dot(anticorPortfolios[e], x) }
        for e in anticorPortfolios.indices {
            let w = e + 2
            if k >= 2 * w {
                let logs = relatives[(k - 2 * w)...].map { $0.map(Foundation.log) }
                anticorPortfolios[e] = Anticor.update(anticorPortfolios[e], logs: Array(logs), known: 2 * w, window: w)
            }
        }
        let total = anticorWealth.reduce(0, +)
        decision = (0..<m).map { i in
            anticorPortfolios.indices.reduce(0) { $0 + anticorWealth[$1] * anticorPortfolios[$1][i] } / total
        }
    }
}
