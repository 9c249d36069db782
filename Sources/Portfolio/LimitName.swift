/// The limits of the limits file (contract section 6), spelled as its keys.
package enum LimitName: String, Sendable, CaseIterable {
    case longOnly = "long_only"
    case maxWeight = "max_weight"
    case assetMax = "asset_max"
    case maxGross = "max_gross"
    case minCash = "min_cash"
    case maxTurnover = "max_turnover"
    case targetVolatility = "target_vol"
    case maxExpectedShortfall = "max_es"
    case esConfidence = "es_confidence"
    case regimeMaxGross = "regime_max_gross"
    case minDaysToExpiry = "min_days_to_expiry"
    case vegaBudget = "vega_budget"
    case regimeVegaBudget = "regime_vega_budget"
    case maxShortGamma = "max_short_gamma"
    case maxPremium = "max_premium"
    case maxNetDelta = "max_net_delta"

}
