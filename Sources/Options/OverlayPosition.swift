import Market

/// One option held by an overlay: `quantity` units of the asset per unit of NAV (signed; long
/// positive), as the weights file writes it (contract section 7).
package struct OverlayPosition: Sendable, Equatable {
    package let asset: String
    package let type: OptionType
    package let strike: Double
    package let expiry: Timestamp
    package var quantity: Double

    package init(asset: String, type: OptionType, strike: Double, expiry: Timestamp, quantity: Double) {
        self.asset = asset
        self.type = type
        self.strike = strike
        self.expiry = expiry
        self.quantity = quantity
    }

    /// Calendar days from `date` to the expiry.
    package func daysToExpiry(from date: Timestamp) -> Double {
        Double(expiry.secondsSinceEpoch - date.secondsSinceEpoch) / 86_400
    }
}

/// What an overlay's options are priced from at one date: the underlying's spot close (the
/// forward, with r = 0: no carry is modelled for options), the 30-day implied-volatility
/// index, and the volatility rule.
package struct OptionMarket: Sendable {
    package let date: Timestamp
    package let spot: Double
    package let atm30: Double
    package let surface: VolatilitySurface

    package init(date: Timestamp, spot: Double, atm30: Double, surface: VolatilitySurface = .deribitBTC) {
        self.date = date
        self.spot = spot
        self.atm30 = atm30
        self.surface = surface
    }

    /// One unit's value and Greeks (USD per unit of the asset), in full revaluation; at or
    /// after expiry the intrinsic value.
    package func value(_ position: OverlayPosition) -> OptionValue {
        value(type: position.type, strike: position.strike, expiry: position.expiry)
    }

    /// The value and Greeks of one unit of an option on this market.
    package func value(type: OptionType, strike: Double, expiry: Timestamp) -> OptionValue {
        let years = Double(expiry.secondsSinceEpoch - date.secondsSinceEpoch) / (365 * 86_400)
        let volatility = surface.volatility(atm30: atm30, forward: spot, strike: strike, years: years)
        return Black76.value(type, forward: spot, strike: strike, years: years, volatility: volatility)
    }

    /// The same market moved: spot times `1 + spotMove`, the volatility index plus
    /// `volatilityPoints` (floored at 1 point).
    package func shocked(spotMove: Double, volatilityPoints: Double) -> OptionMarket {
        OptionMarket(
            date: date, spot: spot * (1 + spotMove), atm30: Swift.max(atm30 + volatilityPoints / 100, 0.01), surface: surface)
    }
}

/// An overlay's sensitivities as fractions of NAV (contract section 7, `greeks`): `delta`
/// the NAV change per unit relative move of the asset (an equivalent weight), `gamma` its
/// second derivative (`sum q Gamma S^2`), `vega` per volatility point, `theta` per calendar
/// day, and `value` the options' worth.
package struct OverlayGreeks: Sendable, Equatable {
    package var value = 0.0
    package var delta = 0.0
    package var gamma = 0.0
    package var vega = 0.0
    package var theta = 0.0

    package init() {}

    /// The Greeks of `positions` on `market`.
    package init(_ positions: [OverlayPosition], on market: OptionMarket) {
        for position in positions {
            let unit = market.value(position)
            let q = position.quantity
            value += q * unit.price
            delta += q * unit.delta * market.spot
            gamma += q * unit.gamma * market.spot * market.spot
            vega += q * unit.vega
            theta += q * unit.theta
        }
    }
}
