import Foundation
import Portfolio
import Risk
import TestSupport
import Testing

/// The risk-budgeting solver and its implicit gradient against independent references
/// (Tests/PortfolioTests/Fixtures/risk-budgets.json, made by
/// scripts/fixtures/make_risk_budget_fixtures.py: Spinu's problem solved in scipy and
/// polished in 60-digit mpmath, the Jacobian by the implicit-function formula checked against
/// central differences, cross-checked with skfolio and riskfolio-lib).
@Suite("Risk budgeting")
struct RiskBudgetingTests {
    struct Case: Decodable, CustomStringConvertible {
        let name: String
        let order: Int
        let covariance: [Double]
        let budgets: [Double]
        let weights: [Double]
        let jacobian: [Double]
        var description: String { name }
    }

    struct ShrunkCase: Decodable, CustomStringConvertible {
        let window: Int
        let half_life: Double
        let end_row: Int
        let assets: [String]
        let intensity: Double
        let covariance: [Double]
        var description: String { "window \(window), half-life \(half_life), row \(end_row)" }
    }

    struct File: Decodable {
        let risk_budgeting: [Case]
        let shrunk_ewma: [ShrunkCase]
    }

    static let file: File = try! JSONDecoder().decode(File.self, from: Data(contentsOf: Fixtures.url("risk-budgets.json")))

    @Test("weights agree with the reference", arguments: file.risk_budgeting)
    func weights(_ c: Case) {
        let solution = RiskBudgeting.solve(covariance: c.covariance, order: c.order, budgets: .given(c.budgets))
        for (got, want) in zip(solution.weights, c.weights) { #expect(Swift.abs(got - want) < 1e-10, "\(c)") }
    }

    @Test("the implicit gradient is the reference Jacobian's transpose times the upstream", arguments: file.risk_budgeting)
    func gradient(_ c: Case) {
        let m = c.order
        let solution = RiskBudgeting.solve(covariance: c.covariance, order: m, budgets: .given(c.budgets))
        for seed in 0..<3 {
            let upstream = (0..<m).map { Foundation.sin(Double(seed * m + $0) * 1.7 + 0.3) }
            let got = RiskBudgeting.budgetGradient(solution, upstream: upstream)
            let want = (0..<m).map { j in (0..<m).reduce(0) { $0 + c.jacobian[$1 * m + j] * upstream[$1] } }
            let scale = max(want.map(Swift.abs).max()!, 1e-12)
            for (g, w) in zip(got, want) { #expect(Swift.abs(g - w) <= 1e-7 * scale, "\(c): \(got) vs \(want)") }
        }
    }

    @Test("negative control: another case's budgets give other weights")
    func budgetsMatter() {
        let c = Self.file.risk_budgeting[1]
        let other = RiskBudgeting.solve(covariance: c.covariance, order: c.order, budgets: .given(c.budgets.reversed()))
        #expect(zip(other.weights, c.weights).contains { Swift.abs($0 - $1) > 1e-3 })
    }

    @Test("equal budgets are risk parity: the .equal form and given equal budgets agree")
    func equalBudgets() {
        let c = Self.file.risk_budgeting.first { $0.name.hasPrefix("four-equal") }!
        let equal = RiskBudgeting.solve(covariance: c.covariance, order: c.order, budgets: .equal).weights
        for (got, want) in zip(equal, c.weights) { #expect(Swift.abs(got - want) < 1e-10) }
    }

    @Test("the shrunk EWMA covariance agrees with numpy and scikit-learn's Ledoit-Wolf intensity", arguments: file.shrunk_ewma)
    func shrunkEWMA(_ c: ShrunkCase) throws {
        let returns = try Self.windowReturns(c)
        let (matrix, intensity) = CovarianceEstimator.shrunkEWMA(returns, halfLife: c.half_life)
        #expect(Swift.abs(intensity - c.intensity) < 1e-12, "\(c)")
        let scale = c.covariance.map(Swift.abs).max()!
        for (got, want) in zip(matrix, c.covariance) { #expect(Swift.abs(got - want) <= 1e-12 * scale, "\(c)") }
        // Negative control: the plain EWMA (no shrinkage) is not the reference.
        let plain = CovarianceEstimator.shrunkEWMA(returns, halfLife: c.half_life * 2).matrix
        #expect(zip(plain, c.covariance).contains { Swift.abs($0 - $1) > 1e-6 * scale })
    }

    /// The window's simple returns of the case's assets, read from the risk fixtures' wide
    /// price file (`date,A,...,F`).
    static func windowReturns(_ c: ShrunkCase) throws -> [[Double]] {
        let url = Fixtures.url("risk-budgets.json").deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("RiskTests/Fixtures/market/prices.csv")
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map {
            $0.split(separator: ",", omittingEmptySubsequences: false)
        }
        let header = lines[0].map(String.init)
        let columns = c.assets.map { header.firstIndex(of: $0)! }
        let prices: [[Double]] = lines.dropFirst().map { row in columns.map { Double(row[$0]) ?? .nan } }
        var returns: [[Double]] = []
        for t in (c.end_row - c.window + 1)...c.end_row {
            let now = prices[t]
            let before = prices[t - 1]
            returns.append(zip(now, before).map { $0 / $1 - 1 })
        }
        return returns
    }
}
