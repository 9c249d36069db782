import WindowRules

/// The baselines of the contract; raw values are the CLI spellings.
package enum BaselineName: String, CaseIterable, Sendable {
    case equalWeight = "equal-weight"
    case inverseVolatility = "inverse-vol"
    case minimumVariance = "min-variance"
    case maximumSharpe = "max-sharpe"
    case riskParity = "risk-parity"
    case hierarchicalRiskParity = "hrp"
    case buyAndHold = "ubah"
    case constantRebalanced = "ucrp"
    case bestConstantRebalanced = "bcrp"
    case exponentiatedGradient = "eg"
    case onlineNewtonStep = "ons"
    case olmar, pamr, anticor

    /// Whether it learns from price relatives period by period (online portfolio selection).
    package var isOnline: Bool {
        switch self {
        case .buyAndHold, .constantRebalanced, .bestConstantRebalanced, .exponentiatedGradient, .onlineNewtonStep, .olmar, .pamr,
            .anticor:
            true
        default: false
        }
    }

    /// Whether it looks at the future of its own evaluation range (never for inference).
    package var usesHindsight: Bool { self == .bestConstantRebalanced }

    /// The window rule of the same name (nil for the online rules and `bcrp`).
    package var windowRule: WindowRule? { WindowRule(rawValue: rawValue) }

    /// Whether it takes a covariance estimator suffix (`NAME:ewma`): the covariance-based
    /// window rules (`BaselineSpec`).
    package var takesEstimator: Bool { windowRule?.usesCovariance ?? false }
}
