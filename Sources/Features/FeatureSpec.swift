import Support

/// The declared feature specification: which features, with which windows. Stored with
/// every model version so inference recomputes exactly what the model saw (LESSONS 9).
/// Definitions: `docs/features.md`.
package struct FeatureSpec: Codable, Sendable, Equatable {
    /// Log-return horizons, in periods (`ret_H`).
    package var horizons: [Int] = [1, 5, 20]
    /// Window of the realised volatility (`vol_W`).
    package var volatilityWindow = 20
    /// Decay of the EWMA volatility (`ewma_vol`), RiskMetrics' 0.94.
    package var ewmaLambda = 0.94
    /// Momentum lookback L and skip S (`mom_L_S`).
    package var momentumLookback = 60
    package var momentumSkip = 5
    /// Window of the trailing high (`drawdown_D`).
    package var drawdownWindow = 90
    /// Window of the correlation and beta to the market (`corr_C`, `beta_C`, `avg_corr_C`).
    package var correlationWindow = 60
    /// Funding mean windows (`funding_F`); `funding_trend` is the first minus the last.
    package var fundingWindows = [7, 30]
    /// Window of the market index volatility (`mkt_vol_W`).
    package var marketVolatilityWindow = 20
    /// Exogenous columns of `features.csv` to use; nil for all of them.
    package var exogenous: [String]?
    /// Normalised values are clipped to `[-clip, clip]`.
    package var clip = 5.0
    /// Tenors (days) of the constant-maturity basis; when set, every asset gains the dated
    /// futures features (`basis`, `basis_annual`, `days_to_expiry`, `roll_yield`,
    /// `basis_cm{tenor}`), missing for an asset without contracts. Nil: no futures features.
    package var basisTenors: [Int]?

    /// The defaults of `docs/features.md`.
    package init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case horizons, exogenous, clip
        case volatilityWindow = "volatility_window"
        case ewmaLambda = "ewma_lambda"
        case momentumLookback = "momentum_lookback"
        case momentumSkip = "momentum_skip"
        case drawdownWindow = "drawdown_window"
        case correlationWindow = "correlation_window"
        case fundingWindows = "funding_windows"
        case marketVolatilityWindow = "market_volatility_window"
        case basisTenors = "basis_tenors"
    }

    /// Reads a specification, each key optional (defaults for the rest); an unknown key is an error.
    package init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = FeatureSpec()
        horizons = try c.decodeIfPresent([Int].self, forKey: .horizons) ?? d.horizons
        volatilityWindow = try c.decodeIfPresent(Int.self, forKey: .volatilityWindow) ?? d.volatilityWindow
        ewmaLambda = try c.decodeIfPresent(Double.self, forKey: .ewmaLambda) ?? d.ewmaLambda
        momentumLookback = try c.decodeIfPresent(Int.self, forKey: .momentumLookback) ?? d.momentumLookback
        momentumSkip = try c.decodeIfPresent(Int.self, forKey: .momentumSkip) ?? d.momentumSkip
        drawdownWindow = try c.decodeIfPresent(Int.self, forKey: .drawdownWindow) ?? d.drawdownWindow
        correlationWindow = try c.decodeIfPresent(Int.self, forKey: .correlationWindow) ?? d.correlationWindow
        fundingWindows = try c.decodeIfPresent([Int].self, forKey: .fundingWindows) ?? d.fundingWindows
        marketVolatilityWindow = try c.decodeIfPresent(Int.self, forKey: .marketVolatilityWindow) ?? d.marketVolatilityWindow
        exogenous = try c.decodeIfPresent([String].self, forKey: .exogenous)
        clip = try c.decodeIfPresent(Double.self, forKey: .clip) ?? d.clip
        basisTenors = try c.decodeIfPresent([Int].self, forKey: .basisTenors)
    }

    /// Problems with the values, as sentences naming the key (empty when valid).
    /// The longest window or horizon accepted (periods): longer than any history.
    package static let longestWindow = 100_000
    /// The most horizons or funding windows accepted.
    package static let mostSeries = 64

    package var problems: [String] {
        var found: [String] = []
        let windows: [(String, Int, Int)] = [
            ("volatility_window", volatilityWindow, 2), ("momentum_lookback", momentumLookback, 1),
            ("drawdown_window", drawdownWindow, 1), ("correlation_window", correlationWindow, 3),
            ("market_volatility_window", marketVolatilityWindow, 2),
        ]
        for (key, value, minimum) in windows where !(minimum...Self.longestWindow).contains(value) {
            found.append("\(key) must be from \(minimum) to \(Self.longestWindow); found \(value)")
        }
        if horizons.isEmpty || horizons.count > Self.mostSeries
            || horizons.contains(where: { !(1...Self.longestWindow).contains($0) })
        {
            found.append("horizons must be 1 to \(Self.mostSeries) periods from 1 to \(Self.longestWindow); found \(horizons)")
        }
        if momentumSkip < 0 || momentumSkip >= momentumLookback {
            found.append("momentum_skip must be in 0..<momentum_lookback; found \(momentumSkip)")
        }
        if !(ewmaLambda > 0 && ewmaLambda < 1) { found.append("ewma_lambda must be in (0, 1); found \(ewmaLambda)") }
        if fundingWindows.count > Self.mostSeries || fundingWindows.contains(where: { !(1...Self.longestWindow).contains($0) }) {
            found.append(
                "funding_windows must be at most \(Self.mostSeries) windows from 1 to \(Self.longestWindow); found \(fundingWindows)"
            )
        }
        if !(clip > 0 && clip.isFinite) { found.append("clip must be a positive number; found \(clip)") }
        if let tenors = basisTenors,
            tenors.isEmpty || tenors.count > 8 || Set(tenors).count != tenors.count
                || tenors.contains(where: { !(1...3650).contains($0) })
        {
            found.append("basis_tenors must be 1 to 8 distinct numbers of days from 1 to 3650; found \(tenors)")
        }
        return found
    }

    /// Per-asset feature names, in output order.
    package var assetFeatureNames: [String] {
        horizons.map { "ret_\($0)" } + [
            "vol_\(volatilityWindow)", "ewma_vol", "mom_\(momentumLookback)_\(momentumSkip)", "drawdown_\(drawdownWindow)",
            "corr_\(correlationWindow)", "beta_\(correlationWindow)",
        ] + fundingWindows.map { "funding_\($0)" } + (fundingWindows.count >= 2 ? ["funding_trend"] : [])
            + (basisTenors.map(FuturesFeatures.names(tenors:)) ?? [])
    }

    /// Market-wide feature names before the exogenous ones, in output order.
    package var marketFeatureNames: [String] {
        ["mkt_ret", "mkt_vol_\(marketVolatilityWindow)", "dispersion", "avg_corr_\(correlationWindow)"]
    }
}
