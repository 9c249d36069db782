/// The contract's weights file (`regimen.weights/v1`): one allocation, with its source,
/// regime, risk and the limits that bound it (contract section 3).
package struct WeightsFile: Codable, Sendable, Equatable {
    /// Where the weights came from.
    package struct Source: Codable, Sendable, Equatable {
        /// `model` or `baseline`.
        package var kind: String
        package var name: String
        package var version: String?

        package init(kind: String, name: String, version: String? = nil) {
            self.kind = kind
            self.name = name
            self.version = version
        }
    }

    /// The regime a model saw.
    package struct Regime: Codable, Sendable, Equatable {
        package var label: String
        package var probabilities: [String: Double]

        package init(label: String, probabilities: [String: Double]) {
            self.label = label
            self.probabilities = probabilities
        }
    }

    /// Historical VaR and ES at `confidence` and annualised volatility of the final weights
    /// over the trailing estimation window.
    package struct Risk: Codable, Sendable, Equatable {
        package var volAnnual: Double
        package var valueAtRisk: Double
        package var expectedShortfall: Double
        package var confidence: Double

        package init(volAnnual: Double, valueAtRisk: Double, expectedShortfall: Double, confidence: Double) {
            self.volAnnual = volAnnual
            self.valueAtRisk = valueAtRisk
            self.expectedShortfall = expectedShortfall
            self.confidence = confidence
        }

        enum CodingKeys: String, CodingKey {
            case volAnnual = "vol_annual"
            case valueAtRisk = "var"
            case expectedShortfall = "es"
            case confidence
        }
    }

    /// The limits that bound, and what had to give.
    package struct Limits: Codable, Sendable, Equatable {
        package var binding: [String]
        package var relaxed: [String]

        package init(binding: [String] = [], relaxed: [String] = []) {
            self.binding = binding
            self.relaxed = relaxed
        }
    }

    /// Always `regimen.weights/v1`.
    package var schema = WeightsFile.schemaName
    /// `YYYY-MM-DD` (or RFC 3339 for intraday data).
    package var asOf: String
    package var source: Source
    /// Asset (and cash line) to fraction; sums to 1.
    package var weights: [String: Double]
    package var regime: Regime?
    package var risk: Risk?
    package var limits: Limits

    /// The schema name.
    package static let schemaName = "regimen.weights/v1"

    package init(asOf: String, source: Source, weights: [String: Double], regime: Regime? = nil, risk: Risk? = nil, limits: Limits = Limits()) {
        self.asOf = asOf
        self.source = source
        self.weights = weights
        self.regime = regime
        self.risk = risk
        self.limits = limits
    }

    enum CodingKeys: String, CodingKey {
        case schema, source, weights, regime, risk, limits
        case asOf = "as_of"
    }
}
