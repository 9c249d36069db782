import Baselines
import Foundation
import Market
import Portfolio
import TestSupport
import Testing

/// Every baseline's weights against an independent implementation (`Fixtures/baselines-expected.json`,
/// made by `scripts/fixtures/make_baseline_fixtures.py` with NumPy/SciPy, and scikit-learn's
/// LedoitWolf for the `:ledoit-wolf` suffix, cross-checked against PyPortfolioOpt and
/// universal-portfolios; conventions in Fixtures/README.md).
@Suite("Baselines against the reference implementation")
struct BaselineReferenceTests {
    struct Expected: Decodable {
        let window: Int
        let strategies: [String: [String: Double]]
        let estimatorVariants: EstimatorVariants

        /// `NAME:ewma` and `NAME:ledoit-wolf` of the five covariance baselines.
        struct EstimatorVariants: Decodable {
            let strategies: [String: [String: Double]]
        }

        enum CodingKeys: String, CodingKey {
            case window, strategies
            case estimatorVariants = "estimator_variants"
        }
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

    /// The covariance baselines with the estimators other than sample.
    static let suffixed = ["inverse-vol", "min-variance", "max-sharpe", "risk-parity", "hrp"].flatMap { name in
        ["ewma", "ledoit-wolf"].map { "\(name):\($0)" }
    }

    @Test(
        "suffixed weights agree (1e-6 for the optimisers, 1e-9 for closed forms) and differ from the plain ones",
        arguments: suffixed)
    func estimatorVariants(_ name: String) throws {
        let (dataset, expected) = try Self.load()
        let reference = try #require(expected.estimatorVariants.strategies[name], "no fixture for \(name)")
        let spec = try BaselineSpec(parsing: name)
        let baseline = Baseline(spec, window: expected.window)
        #expect(baseline.name == name)
        let allocation = try baseline.allocate(dataset.view(throughRow: dataset.rowCount - 1))
        let tolerance = [.minimumVariance, .maximumSharpe, .riskParity].contains(spec.rule) ? 1e-6 : 1e-9
        for (asset, assetName) in dataset.assets.enumerated() {
            let value = try #require(reference[assetName])
            #expect(
                Swift.abs(allocation.weights[asset] - value) <= tolerance,
                "\(name) \(assetName): \(allocation.weights[asset]) vs \(value)")
        }
        #expect(Swift.abs(allocation.weights.reduce(0, +) - 1) < 1e-12)
        #expect(allocation.weights.allSatisfy { $0 >= 0 })
        // Negative control: the estimator changes the answer (else the suffix was ignored).
        let plain = try #require(expected.strategies[spec.rule.rawValue])
        let gap = dataset.assets.map { Swift.abs((reference[$0] ?? 0) - (plain[$0] ?? 0)) }.max() ?? 0
        #expect(gap > 1e-3, "\(name): the fixture's weights equal the plain ones")
        let plainAllocation = try Baseline(spec.rule, window: expected.window).allocate(
            dataset.view(throughRow: dataset.rowCount - 1))
        #expect(zip(allocation.weights, plainAllocation.weights).map { Swift.abs($0 - $1) }.max()! > 1e-3)
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
        for name in Self.suffixed {
            let baseline = Baseline(try BaselineSpec(parsing: name), window: expected.window)
            let full = try baseline.allocate(dataset.view(throughRow: row))
            let truncated = try baseline.allocate(dataset.truncated(throughRow: row).view(throughRow: row))
            #expect(full.weights == truncated.weights, "\(name)")
        }
    }
}
