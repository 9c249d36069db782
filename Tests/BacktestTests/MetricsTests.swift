import Foundation
import Risk
import TestSupport
import Testing

/// Metrics of fixed return series against NumPy (`Fixtures/metrics-expected.json`).
@Suite("Performance metrics")
struct MetricsTests {
    struct Case: Decodable {
        let name: String
        let returns: [Double]
        let expected: [String: Double?]
    }
    struct File: Decodable {
        let periods_per_year: Double
        let cases: [Case]
    }

    @Test("every metric, and null where a denominator is zero")
    func metrics() throws {
        let file = try JSONDecoder().decode(File.self, from: Data(contentsOf: Fixtures.url("metrics-expected.json")))
        for c in file.cases {
            let m = PerformanceMetrics(returns: c.returns, periodsPerYear: file.periods_per_year)
            let actual: [String: Double?] = [
                "final_wealth": m.finalWealth, "cagr": m.cagr, "vol_annual": m.volAnnual, "sharpe": m.sharpe,
                "sortino": m.sortino,
                "max_drawdown": m.maxDrawdown, "calmar": m.calmar, "var": m.valueAtRisk, "es": m.expectedShortfall,
            ]
            for (key, value) in actual {
                let reference = try #require(c.expected[key], "\(c.name): no \(key)")
                switch (value, reference) {
                case (nil, nil): break
                case (let a?, let b?):
                    #expect(Swift.abs(a - b) <= 1e-10 * Swift.max(1, Swift.abs(b)), "\(c.name) \(key): \(a) vs \(b)")
                default: Issue.record("\(c.name) \(key): \(String(describing: value)) vs \(String(describing: reference))")
                }
            }
        }
    }
}
