import Support

/// An options overlay held on top of an allocation (contract section 7), as a training config
/// or model states it (`overlay:`): one structure on one asset, opened at `tenor_days`,
/// rolled `roll_days` before expiry. Definitions: `docs/options.md`.
package struct OverlaySpec: Codable, Sendable, Equatable {
    /// What is held.
    package enum Structure: String, Codable, Sendable, CaseIterable {
        /// A put at `moneyness` (default 0.9) times the forward, `hedge_ratio` units per unit
        /// of the asset held (`hedge: asset`, a floor under the position) or per unit of the
        /// whole risky book's weight in the asset's price (`hedge: portfolio`).
        case protectivePut = "protective_put"
        /// A call and a put at `moneyness` (default 1), sized so the pair's vega is
        /// `vega_target`.
        case straddle
        /// A call at `moneyness` (default 1) bought and one at `moneyness + width` sold, sized
        /// so the spread's vega is `vega_target`.
        case callSpread = "call_spread"
    }

    /// What a protective put hedges.
    package enum Hedge: String, Codable, Sendable, CaseIterable {
        /// The overlay asset's own weight.
        case asset
        /// The whole risky book (puts on the asset as a proxy for the market it leads).
        case portfolio
    }

    package var structure: Structure
    /// The underlying: an asset whose implied-volatility column `dataset.yaml` names.
    package var asset: String
    package var tenorDays = 30
    package var moneyness = 0.9
    package var width = 0.1
    package var hedgeRatio = 1.0
    /// Whose weight a protective put's `hedge_ratio` applies to.
    package var hedge = Hedge.asset
    /// Vega per volatility point as a fraction of NAV (straddle and call spread).
    package var vegaTarget = 0.001
    package var rollDays = 5

    /// A spec with the defaults: a 0.9 put, an at-the-money straddle, a 1.0 / 1.1 call spread.
    package init(structure: Structure, asset: String) {
        self.structure = structure
        self.asset = asset
        moneyness = structure == .protectivePut ? 0.9 : 1
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case structure, asset, moneyness, width, hedge
        case tenorDays = "tenor_days"
        case hedgeRatio = "hedge_ratio"
        case vegaTarget = "vega_target"
        case rollDays = "roll_days"
    }

    /// Reads a spec; `structure` and `asset` are required, an unknown key is an error.
    package init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        structure = try NamedChoice.decode(
            try c.superDecoder(forKey: .structure), Structure.allCases.map { ($0.rawValue, $0) })
        asset = try c.decode(String.self, forKey: .asset)
        let d = OverlaySpec(structure: structure, asset: asset)
        tenorDays = try c.decodeIfPresent(Int.self, forKey: .tenorDays) ?? d.tenorDays
        moneyness = try c.decodeIfPresent(Double.self, forKey: .moneyness) ?? d.moneyness
        width = try c.decodeIfPresent(Double.self, forKey: .width) ?? d.width
        hedgeRatio = try c.decodeIfPresent(Double.self, forKey: .hedgeRatio) ?? d.hedgeRatio
        if c.contains(.hedge) {
            hedge = try NamedChoice.decode(try c.superDecoder(forKey: .hedge), Hedge.allCases.map { ($0.rawValue, $0) })
        }
        vegaTarget = try c.decodeIfPresent(Double.self, forKey: .vegaTarget) ?? d.vegaTarget
        rollDays = try c.decodeIfPresent(Int.self, forKey: .rollDays) ?? d.rollDays
    }

    /// Problems with the values, as sentences naming the key (empty when valid).
    package var problems: [String] {
        var found: [String] = []
        if asset.isEmpty { found.append("overlay.asset must name an asset") }
        if !(2...730).contains(tenorDays) { found.append("overlay.tenor_days must be from 2 to 730; found \(tenorDays)") }
        if !(rollDays >= 0 && rollDays < tenorDays) {
            found.append("overlay.roll_days must be from 0 to tenor_days - 1; found \(rollDays)")
        }
        if !(moneyness >= 0.2 && moneyness <= 5) { found.append("overlay.moneyness must be from 0.2 to 5; found \(moneyness)") }
        if !(width > 0 && width <= 2) { found.append("overlay.width must be in (0, 2]; found \(width)") }
        if !(hedgeRatio > 0 && hedgeRatio <= 2) { found.append("overlay.hedge_ratio must be in (0, 2]; found \(hedgeRatio)") }
        if !(vegaTarget.isFinite && Swift.abs(vegaTarget) <= 0.05) {
            found.append("overlay.vega_target must be from -0.05 to 0.05 (NAV per vol point); found \(vegaTarget)")
        }
        return found
    }
}
