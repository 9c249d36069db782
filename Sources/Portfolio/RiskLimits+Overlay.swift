import Market
import Options

extension RiskLimits {
    /// The caps an options overlay meets at a decision in `regime` (contract sections 6 and
    /// 7): the tighter of `vega_budget` and the regime's `regime_vega_budget`, and
    /// `max_short_gamma`, `max_premium`, `min_days_to_expiry`, `max_net_delta`.
    package func overlayCaps(regime: RegimeLabel?) -> OverlayCaps {
        var caps = OverlayCaps()
        let regimeBudget = regime.flatMap { regimeVegaBudget[$0] }
        switch (vegaBudget, regimeBudget) {
        case (let budget?, let inRegime?):
            caps.vega = inRegime < budget ? (inRegime, true) : (budget, false)
        case (let budget?, nil): caps.vega = (budget, false)
        case (nil, let inRegime?): caps.vega = (inRegime, true)
        case (nil, nil): break
        }
        caps.shortGamma = maxShortGamma
        caps.premium = maxPremium
        caps.minDaysToExpiry = minDaysToExpiry
        caps.netDelta = maxNetDelta
        return caps
    }
}

extension LimitBinding {
    /// The limit of the limits file an overlay cap comes from.
    package init(_ cap: OverlayCap) {
        switch cap {
        case .vega(let fromRegime): self.init(fromRegime ? .regimeVegaBudget : .vegaBudget)
        case .shortGamma: self.init(.maxShortGamma)
        case .premium: self.init(.maxPremium)
        case .cashFloor: self.init(.minCash)
        case .netDelta(let asset): self.init(.maxNetDelta, asset: asset)
        }
    }
}
