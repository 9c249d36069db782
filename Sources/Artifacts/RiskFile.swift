/// The contract's risk file (`regimen.risk/v1`): the risk of fixed weights over the window
/// ending at `as_of`, with the covariance and a stress table (contract section 3).
package struct RiskFile: Codable, Sendable, Equatable {
    /// VaR by method.
    package struct ValueAtRisk: Codable, Sendable, Equatable {
        package var historical: Double
        package var gaussian: Double
        package var cornishFisher: Double

        enum CodingKeys: String, CodingKey {
            case historical, gaussian
            case cornishFisher = "cornish_fisher"
        }
    }

    /// ES by method (no Cornish-Fisher ES).
    package struct ExpectedShortfall: Codable, Sendable, Equatable {
        package var historical: Double
        package var gaussian: Double
    }

    /// The covariance over the weights' non-cash assets, per period.
    package struct Covariance: Codable, Sendable, Equatable {
        package var estimator: String
        package var assets: [String]
        package var matrix: [[Double]]
        package var conditionNumber: Double

        enum CodingKeys: String, CodingKey {
            case estimator, assets, matrix
            case conditionNumber = "condition_number"
        }
    }

    /// One stress scenario.
    package struct Stress: Codable, Sendable, Equatable {
        package var name: String
        package var kind: String
        package var from: String?
        package var to: String?
        package var loss: Double
    }

    package var schema = "regimen.risk/v1"
    package var asOf: String
    package var window: Int
    package var horizon: Int
    package var confidence: Double
    package var valueAtRisk: ValueAtRisk
    package var expectedShortfall: ExpectedShortfall
    package var volAnnual: Double
    package var covariance: Covariance
    package var stress: [Stress]
    package var warnings: [String]
    /// With an options overlay: its Greeks, the full-revaluation grid and scenarios, and
    /// VaR/ES by full revaluation (contract section 7).
    package var overlay: OverlayRisk?

    enum CodingKeys: String, CodingKey {
        case schema, window, horizon, confidence, covariance, stress, warnings, overlay
        case asOf = "as_of"
        case valueAtRisk = "var"
        case expectedShortfall = "es"
        case volAnnual = "vol_annual"
    }
}
