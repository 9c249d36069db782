import Portfolio
import Support

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

        /// The source of an allocator's weights.
        package init(_ identity: AllocatorIdentity) {
            self.init(kind: identity.kind.rawValue, name: identity.name, version: identity.version.map(String.init))
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
    /// over the trailing estimation window; each `null` when the window does not fit (too
    /// little history), so the block is always there and never claims a figure it lacks.
    package struct RiskFigures: Codable, Sendable, Equatable {
        @NullWhenAbsent package var volAnnual: Double?
        @NullWhenAbsent package var valueAtRisk: Double?
        @NullWhenAbsent package var expectedShortfall: Double?
        package var confidence: Double

        package init(volAnnual: Double?, valueAtRisk: Double?, expectedShortfall: Double?, confidence: Double) {
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

    /// What the limits were checked against for the final weights (contract section 6):
    /// annualised volatility and historical ES at `es_confidence` over the risk window, the
    /// figures `regimen risk` computes for the same weights and window.
    package struct Measured: Codable, Sendable, Equatable {
        package var volAnnual: Double
        package var expectedShortfall: Double
        package var esConfidence: Double
        /// Returns in the risk window.
        package var window: Int
        /// With an options overlay: its vega and gamma (fractions of NAV) and the premium it
        /// paid in this decision, as its limits were checked (contract section 6).
        package var vega: Double?
        package var gamma: Double?
        package var premium: Double?

        package init(volAnnual: Double, expectedShortfall: Double, esConfidence: Double, window: Int) {
            self.volAnnual = volAnnual
            self.expectedShortfall = expectedShortfall
            self.esConfidence = esConfidence
            self.window = window
        }

        enum CodingKeys: String, CodingKey {
            case volAnnual = "vol_annual"
            case expectedShortfall = "es"
            case esConfidence = "es_confidence"
            case window, vega, gamma, premium
        }
    }

    /// The limits that bound, what had to give, and what they were checked against (the
    /// daily job's files; baselines' files carry no `measured`).
    package struct Limits: Codable, Sendable, Equatable {
        package var binding: [String]
        package var relaxed: [String]
        package var measured: Measured?
        /// Assets held at 0 because `target_vol` or `max_es` could not be measured for them
        /// (a risk window without full history); absent when every asset was measured.
        package var unmeasured: [String]?

        package init(binding: [String] = [], relaxed: [String] = [], measured: Measured? = nil, unmeasured: [String]? = nil) {
            self.binding = binding
            self.relaxed = relaxed
            self.measured = measured
            self.unmeasured = unmeasured
        }
    }

    /// The dated futures contract an asset of kind `future` is held through (contract
    /// section 7).
    package struct HeldContract: Codable, Equatable, Sendable {
        /// The contract's symbol.
        package var contract: String
        /// Its expiry, `YYYY-MM-DD`.
        package var expiry: String
        /// Calendar days from `as_of` to the expiry.
        package var daysToExpiry: Double
        /// Whether this decision rolls into it (the previous day's contract is sold).
        package var rolls: Bool

        package init(contract: String, expiry: String, daysToExpiry: Double, rolls: Bool) {
            self.contract = contract
            self.expiry = expiry
            self.daysToExpiry = daysToExpiry
            self.rolls = rolls
        }

        enum CodingKeys: String, CodingKey {
            case contract, expiry, rolls
            case daysToExpiry = "days_to_expiry"
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
    package var risk: RiskFigures?
    package var limits: Limits
    /// Per asset held through futures at this decision: the contract held; absent when none is.
    package var contracts: [String: HeldContract]?
    /// Per asset of kind `future` or whose instrument `instrument: auto` chooses: the
    /// instrument held from this decision (`spot`, `perp`, `future`); absent when no asset is.
    package var instruments: [String: String]?
    /// The options overlay held on top of the weights (contract section 7); absent without one.
    package var overlay: [OverlayEntry]?
    /// The overlay's Greeks as fractions of NAV; absent without an overlay.
    package var greeks: Greeks?

    /// The schema name.
    package static let schemaName = "regimen.weights/v1"

    package init(
        asOf: String, source: Source, weights: [String: Double], regime: Regime? = nil, risk: RiskFigures? = nil,
        limits: Limits = Limits()
    ) {
        self.asOf = asOf
        self.source = source
        self.weights = weights
        self.regime = regime
        self.risk = risk
        self.limits = limits
    }

    enum CodingKeys: String, CodingKey {
        case schema, source, weights, regime, risk, limits, contracts, instruments, overlay, greeks
        case asOf = "as_of"
    }
}
