import Baselines
import Foundation
import Market
import Portfolio
import TestSupport
import Testing

/// Every baseline's weights against an independent implementation (`Fixtures/baselines-expected.json`,
/// made by `scripts/fixtures/make_baseline_fixtures.py` with NumPy/SciPy, cross-checked
/// against PyPortfolioOpt and universal-portfolios; conventions in Fixtures/README.md).
@Suite("Baselines against the reference implementation")
struct BaselineReferenceTests {
    struct Expected: Decodable {
        let window: Int
        let strategies: [String: [String: Double]]
    }

    static func load() throws -> (Dataset, Expected) {
        let expected = try JSONDecoder().decode(Expected.self, from: Data(contentsOf: Fixtures.url("baselines-expected.json")))
        return (try DatasetReader.load(directory: Fixtures.url("market").path), expected)
    }

    @Test("weights agree (1e-6 for the optimisers, 1e-9 for closed forms)", arguments: BaselineName.allCases)
    func weights(_ rule: BaselineName) throws {
        let (dataset, expected) = try Self.load()
        let reference = try #require(expected.strategies[rule.rawValue], "no fixture for \(rule.rawValue)")
        let allocation = try Baseline(rule, window: expected.window).allocate(dataset.view(throughRow: dataset.rowCount - 1))
        let tolerance =
            [.minimumVariance, .maximumSharpe, .riskParity, .bestConstantRebalanced, .onlineNewtonStep].contains(rule)
            ? 1e-6 : 1e-9
        for (asset, name) in dataset.assets.enumerated() {
            let value = try #require(reference[name])
            #expect(
                Swift.abs(allocation.weights[asset] - value) <= tolerance,
                "\(rule.rawValue) \(name): \(allocation.weights[asset]) vs \(value)")
        }
        #expect(Swift.abs(allocation.weights.reduce(0, +) - 1) < 1e-12)
        #expect(allocation.weights.allSatisfy { $0 >= 0 })
    }

    @Test("an asset without a return on every row of the window gets weight 0")
    func lateListing() throws {
        let (dataset, expected) = try Self.load()
        let f = try #require(dataset.assets.firstIndex(of: "F"))
        for rule in BaselineName.allCases {
            let allocation = try Baseline(rule, window: expected.window).allocate(dataset.view(throughRow: dataset.rowCount - 1))
            #expect(allocation.weights[f] == 0, "\(rule.rawValue)")
        }
    }

    @Test("a nearly singular covariance gives finite, sensible weights and a warning")
    func nearSingular() throws {
        let dataset = try DatasetReader.load(directory: Fixtures.url("near-singular").path)
        for rule in [BaselineName.minimumVariance, .maximumSharpe, .riskParity, .hierarchicalRiskParity, .inverseVolatility] {
            let allocation = try Baseline(rule, window: 90).allocate(dataset.view(throughRow: dataset.rowCount - 1))
            #expect(allocation.weights.allSatisfy { $0.isFinite && $0 >= 0 }, "\(rule.rawValue)")
            #expect(Swift.abs(allocation.weights.reduce(0, +) - 1) < 1e-9, "\(rule.rawValue)")
            if rule != .inverseVolatility && rule != .hierarchicalRiskParity {
                #expect(allocation.warnings.contains { $0.contains("near singular") }, "\(rule.rawValue): \(allocation.warnings)")
            }
        }
    }

    @Test("the allocation at t ignores everything after t")
    func noLookAhead() throws {
        let (dataset, expected) = try Self.load()
        let row = dataset.rowCount - 20
        for rule in BaselineName.allCases where !rule.usesHindsight {
            let full = try Baseline(rule, window: expected.window).allocate(dataset.view(throughRow: row))
            let truncated = try Baseline(rule, window: expected.window).allocate(
                dataset.truncated(throughRow: row).view(throughRow: row))
            #expect(full.weights == truncated.weights, "\(rule.rawValue)")
        }
    }
}
