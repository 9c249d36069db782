import Options

extension RiskLimits {
    /// The caps an options overlay meets at a decision in `regime` (contract sections 6 and
    /// 7): the tighter of `vega_budget` and the regime's `regime_vega_budget`, and
    /// `max_short_gamma`, `max_premium`, `min_days_to_expiry`, `max_net_delta`.
    package func overlayCaps(regime: String?) -> OverlayCaps {
        var caps = OverlayCaps()
        let regimeBudget = regime.flatMap { regimeVegaBudget[$0] }
        switch (vegaBudget, regimeBudget) {
        case (let budget?, let inRegime?):
            caps.vega = inRegime < budget ? (inRegime, "regime_vega_budget") : (budget, "vega_budget")
        case (let budget?, nil): caps.vega = (budget, "vega_budget")
        case (nil, let inRegime?): caps.vega = (inRegime, "regime_vega_budget")
        case (nil, nil): break
        }
        caps.shortGamma = maxShortGamma
        caps.premium = maxPremium
        caps.minDaysToExpiry = minDaysToExpiry
        caps.netDelta = maxNetDelta
        return caps
    }
}
