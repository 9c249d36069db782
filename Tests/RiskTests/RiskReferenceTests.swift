import Foundation
import Market
import Risk
import Support
import TestSupport
import Testing

/// Risk figures against NumPy/SciPy and scikit-learn (`Fixtures/risk-expected.json`, made
/// by `scripts/fixtures/make_risk_fixtures.py`; README.md there has the conventions).
@Suite("Risk against NumPy, SciPy and scikit-learn")
struct RiskReferenceTests {
    struct Expected: Decodable {
        struct Case: Decodable {
            let confidence: Double
            let horizon: Int
            let z: Double
            let `var`: [String: Double]
            let es: [String: Double]
        }
        let window: Int
        let weights: [String: Double]
        let cases: [Case]
        let volAnnual: Double
        let covariance: [String: AnyMatrix]
        let portfolioReturns: [Double]

        enum CodingKeys: String, CodingKey {
            case window, weights, cases, covariance
            case volAnnual = "vol_annual"
            case portfolioReturns = "portfolio_returns"
        }
    }

    /// A covariance entry: the asset list, a matrix, or a parameter.
    enum AnyMatrix: Decodable {
        case names([String])
        case matrix([[Double]])
        case number(Double)
        case text(String)
        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let names = try? container.decode([String].self) {
                self = .names(names)
            } else if let matrix = try? container.decode([[Double]].self) {
                self = .matrix(matrix)
            } else if let number = try? container.decode(Double.self) {
                self = .number(number)
            } else {
                self = .text(try container.decode(String.self))
            }
        }
    }

    static func load() throws -> (Dataset, Expected, WindowReturns, [Double]) {
        let expected = try JSONDecoder().decode(Expected.self, from: Data(contentsOf: Fixtures.url("risk-expected.json")))
        let dataset = try DatasetReader.load(directory: Fixtures.url("market").path)
        let assets = dataset.assets.indices.filter { expected.weights[dataset.assets[$0]] != nil }
        let window = try WindowReturns(dataset, assets: assets, endingAt: dataset.rowCount - 1, window: expected.window)
        return (dataset, expected, window, assets.map { expected.weights[dataset.assets[$0]]! })
    }

    static func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-10) -> Bool {
        Swift.abs(a - b) <= tolerance * Swift.max(Swift.abs(a), Swift.abs(b), 1e-300) || Swift.abs(a - b) < 1e-15
    }

    @Test("portfolio returns, VaR and ES for every method, confidence and horizon")
    func tailRisk() throws {
        let (dataset, expected, window, weights) = try Self.load()
        let returns = window.portfolioReturns(weights)
        #expect(zip(returns, expected.portfolioReturns).allSatisfy { Self.close($0, $1, 1e-12) })
        for c in expected.cases {
            #expect(Self.close(NormalDistribution.quantile(1 - c.confidence), c.z, 1e-13), "z at \(c.confidence)")
            let tail = TailRisk(returns: returns, confidence: c.confidence, horizon: c.horizon)
            let label = "confidence \(c.confidence), horizon \(c.horizon)"
            #expect(Self.close(tail.historicalVaR, c.var["historical"]!), "historical VaR, \(label)")
            #expect(Self.close(tail.gaussianVaR, c.var["gaussian"]!), "gaussian VaR, \(label)")
            #expect(Self.close(tail.cornishFisherVaR, c.var["cornish_fisher"]!), "Cornish-Fisher VaR, \(label)")
            #expect(Self.close(tail.historicalES, c.es["historical"]!), "historical ES, \(label)")
            #expect(Self.close(tail.gaussianES, c.es["gaussian"]!), "gaussian ES, \(label)")
        }
        #expect(Self.close(Statistics.standardDeviation(returns) * dataset.periodsPerYear.squareRoot(), expected.volAnnual))
    }

    @Test("sample, EWMA and Ledoit-Wolf covariance", arguments: CovarianceEstimator.allCases)
    func covariance(_ estimator: CovarianceEstimator) throws {
        let (_, expected, window, _) = try Self.load()
        guard case .matrix(let reference)? = expected.covariance[estimator.rawValue] else {
            Issue.record("no \(estimator.rawValue) matrix in the fixture")
            return
        }
        let estimate = estimator.estimate(window.returns)
        let m = estimate.order
        for i in 0..<m {
            for j in 0..<m {
                #expect(Self.close(estimate.matrix[i * m + j], reference[i][j], 1e-11), "\(estimator.rawValue)[\(i)][\(j)]")
            }
        }
        #expect(!estimate.wasRepaired)
        #expect(estimate.warning == nil)
    }

    @Test("a near-singular covariance is reported with its condition number, and stays finite")
    func nearSingular() throws {
        let dataset = try DatasetReader.load(directory: Fixtures.url("near-singular").path)
        let window = try WindowReturns(dataset, assets: [0, 1, 2], endingAt: dataset.rowCount - 1, window: 90)
        let estimate = CovarianceEstimator.sample.estimate(window.returns)
        #expect(estimate.conditionNumber > CovarianceEstimate.nearSingularThreshold)
        #expect(estimate.warning?.contains("near singular") == true)
        #expect(estimate.matrix.allSatisfy { $0.isFinite })
    }

    @Test("quantiles follow NumPy's linear method on small exact cases")
    func quantile() {
        #expect(Statistics.quantile([1, 2, 3, 4], 0.5) == 2.5)
        #expect(Statistics.quantile([10, 0], 0.25) == 2.5)
        #expect(Statistics.quantile([5], 0.01) == 5)
        #expect(Statistics.quantile([1, 2, 3, 4, 5], 0.01) == 1.04)
    }
}
