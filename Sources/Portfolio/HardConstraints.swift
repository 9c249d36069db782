import Market
import Risk

/// The hard limits of a limits file for one decision, as a value: per-asset caps, budgets,
/// and the volatility and expected-shortfall caps measured on the decision's risk window.
/// Built from the limits, the assets, the regime and the window; `contains` says whether
/// weights satisfy all of them. `max_turnover` is soft and not part of it.
///
/// An asset without a full risk window cannot be shown to satisfy `target_vol` or `max_es`;
/// when either is set such an asset is capped at 0 (listed under that limit), so every
/// weight the enforcer returns has been measured.
package struct HardConstraints: Sendable {
    /// A cap on the sum of risky weights (`gross`: of their absolute values; else net).
    package struct Budget: Sendable, Equatable {
        package let limit: LimitName
        package let value: Double
        package var isNet: Bool { limit == .minCash }
    }

    /// Weights must be non-negative.
    package let longOnly: Bool
    /// Per-asset caps on the absolute weight (`.infinity` for none).
    package let caps: [Double]
    /// The limit each asset's cap comes from, as listed when it binds.
    package let capLimits: [LimitBinding]
    /// Budgets: `max_gross`, `regime_max_gross`, and `min_cash` as a net budget `1 - min_cash`
    /// (1 without it: the risky weights never sum above 1).
    package let budgets: [Budget]
    /// The annualised volatility cap.
    package let targetVolatility: Double?
    /// The expected-shortfall cap, at `esConfidence`.
    package let maxExpectedShortfall: Double?
    package let esConfidence: Double
    /// What the volatility and ES are measured on.
    package let risk: PortfolioRiskWindow
    /// Assets capped at 0 because `target_vol` or `max_es` is set and their risk window is
    /// not full (too little history before the decision, a just-listed asset).
    package let unmeasured: [String]

    /// The constraints of a decision at `row` of `market` (a view through that row): the risk
    /// window ending there and the held contracts' days to expiry. The simulator and the daily
    /// job build their constraints here, so both enforce the same limits on the same inputs.
    package static func forDecision(limits: RiskLimits, market: Dataset, row: Int, regime: RegimeLabel?, window: Int)
        -> HardConstraints
    {
        HardConstraints(
            limits: limits, assets: market.assets, regime: regime,
            risk: PortfolioRiskWindow(market, endingAt: row, window: window),
            daysToExpiry: market.holdsDerivatives ? market.daysToExpiry(atRow: row) : [])
    }

    /// - Parameters:
    ///   - assets: asset names in dataset column order.
    ///   - regime: the current regime label, for `regime_max_gross`.
    ///   - risk: the decision's risk window over the same assets.
    ///   - daysToExpiry: per asset, the days to expiry of the futures contract it would be
    ///     held through at the decision (nil for an asset not held through futures), for
    ///     `min_days_to_expiry`; empty when no asset is.
    package init(
        limits: RiskLimits, assets: [String], regime: RegimeLabel?, risk: PortfolioRiskWindow, daysToExpiry: [Double?] = []
    ) {
        precondition(
            risk.columns.count == assets.count,
            "HardConstraints: a risk window over \(risk.columns.count) assets for \(assets.count)")
        longOnly = limits.longOnly
        let riskLimit: LimitName? =
            limits.targetVolatility != nil ? .targetVolatility : limits.maxExpectedShortfall != nil ? .maxExpectedShortfall : nil
        var caps: [Double] = []
        var capLimits: [LimitBinding] = []
        var unmeasured: [String] = []
        for (asset, name) in assets.enumerated() {
            if let riskLimit, risk.columns[asset] == nil {
                caps.append(0)
                capLimits.append(LimitBinding(riskLimit))
                unmeasured.append(name)
                continue
            }
            if let minimum = limits.minDaysToExpiry, asset < daysToExpiry.count, let days = daysToExpiry[asset], days < minimum {
                caps.append(0)
                capLimits.append(LimitBinding(.minDaysToExpiry, asset: name))
                continue
            }
            let own = limits.assetMax[name]
            let candidates: [(Double?, LimitBinding)] = [
                (own, LimitBinding(.assetMax, asset: name)), (limits.maxWeight, LimitBinding(.maxWeight)),
                (limits.maxNetDelta, LimitBinding(.maxNetDelta, asset: name)),
            ]
            let tightest = candidates.compactMap { cap, name in cap.map { ($0, name) } }.min { $0.0 < $1.0 }
            caps.append(tightest?.0 ?? .infinity)
            capLimits.append(tightest?.1 ?? LimitBinding(.maxWeight))
        }
        self.caps = caps
        self.capLimits = capLimits
        self.unmeasured = unmeasured
        budgets = [
            limits.maxGross.map { Budget(limit: .maxGross, value: $0) },
            regime.flatMap { limits.regimeMaxGross[$0] }.map { Budget(limit: .regimeMaxGross, value: $0) },
            Budget(limit: .minCash, value: limits.minCash.map { 1 - $0 } ?? 1),
        ].compactMap { $0 }
        targetVolatility = limits.targetVolatility
        maxExpectedShortfall = limits.maxExpectedShortfall
        esConfidence = limits.esConfidence
        self.risk = risk
    }

    /// The tightest gross budget (`.infinity` without one).
    var grossCap: Double { budgets.filter { !$0.isNet }.map(\.value).min() ?? .infinity }
    /// The net budget.
    var netCap: Double { budgets.first { $0.isNet }?.value ?? 1 }

    /// Whether `w` satisfies every hard limit, within `tolerance` (relative for volatility
    /// and ES, absolute for weights).
    package func contains(_ w: [Double], tolerance: Double = 1e-9) -> Bool {
        if longOnly && w.contains(where: { $0 < -tolerance }) { return false }
        if zip(w, caps).contains(where: { Swift.abs($0) > $1 + tolerance }) { return false }
        let gross = w.reduce(0) { $0 + Swift.abs($1) }
        let net = w.reduce(0, +)
        if budgets.contains(where: { ($0.isNet ? net : gross) > $0.value + tolerance }) { return false }
        if let target = targetVolatility, !(risk.annualVolatility(of: w).map { $0 <= target * (1 + tolerance) } ?? false) {
            return false
        }
        if let cap = maxExpectedShortfall,
            !(risk.expectedShortfall(of: w, confidence: esConfidence).map { $0 <= cap * (1 + tolerance) } ?? false)
        {
            return false
        }
        return true
    }

    /// What the risk limits are checked against for `w`: annualised volatility and ES at
    /// `esConfidence` of the window returns (nil when a held asset has no full window).
    package func measured(_ w: [Double]) -> (volAnnual: Double, expectedShortfall: Double)? {
        guard let volatility = risk.annualVolatility(of: w), let es = risk.expectedShortfall(of: w, confidence: esConfidence)
        else { return nil }
        return (volatility, es)
    }
}
