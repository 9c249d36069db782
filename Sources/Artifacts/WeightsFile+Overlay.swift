import Market
import Options

extension WeightsFile {
    /// One option of the overlay (contract section 7): quantity in units of the asset per
    /// unit of NAV (signed), its premium (USD per unit), the volatility it was marked at, and
    /// its Greeks per unit (vega per volatility point, theta per calendar day).
    package struct OverlayEntry: Codable, Equatable, Sendable {
        package var asset: String
        package var type: String
        package var strike: Double
        /// `YYYY-MM-DD` or RFC 3339 UTC.
        package var expiry: String
        package var quantity: Double
        package var premium: Double
        package var iv: Double
        package var delta: Double
        package var gamma: Double
        package var vega: Double
        package var theta: Double
    }

    /// The overlay's sensitivities as fractions of NAV: `delta` per asset, `gamma`, `vega`
    /// per volatility point, `theta` per day, and `value` (the options' worth, which the cash
    /// line leaves out).
    package struct Greeks: Codable, Equatable, Sendable {
        package var delta: [String: Double]
        package var gamma: Double
        package var vega: Double
        package var theta: Double
        package var value: Double
    }

    /// Records `positions` marked on `market`; the cash line `cash` gives up their value (the
    /// weights, the cash line and the overlay's value sum to 1).
    package mutating func record(overlay positions: [OverlayPosition], on market: OptionMarket, cash: String) {
        overlay = positions.map { position in
            let unit = market.value(position)
            let years = Double(position.expiry.secondsSinceEpoch - market.date.secondsSinceEpoch) / (365 * 86_400)
            return OverlayEntry(
                asset: position.asset, type: position.type.rawValue, strike: position.strike,
                expiry: position.expiry.description, quantity: position.quantity, premium: unit.price,
                iv: market.surface.volatility(atm30: market.atm30, forward: market.spot, strike: position.strike, years: years),
                delta: unit.delta, gamma: unit.gamma, vega: unit.vega, theta: unit.theta)
        }
        let total = OverlayGreeks(positions, on: market)
        greeks = Greeks(
            delta: positions.isEmpty ? [:] : [positions[0].asset: total.delta], gamma: total.gamma, vega: total.vega,
            theta: total.theta, value: total.value)
        if let line = weights[cash] { weights[cash] = line - total.value }
    }

    /// The largest `|quantity x strike|` an overlay entry may have (100 times the NAV): beyond
    /// it the file is not one the daily job wrote.
    static let largestOptionNotional = 100.0

    /// The overlay positions of a previous run's file; nil when an entry cannot be read.
    package var overlayPositions: [OverlayPosition]? {
        guard let overlay else { return [] }
        var positions: [OverlayPosition] = []
        for entry in overlay {
            guard let type = OptionType(rawValue: entry.type), let expiry = Timestamp(parsing: entry.expiry),
                entry.strike > 0, entry.strike <= 1e12, entry.quantity.isFinite,
                Swift.abs(entry.quantity * entry.strike) <= Self.largestOptionNotional
            else { return nil }
            positions.append(
                OverlayPosition(asset: entry.asset, type: type, strike: entry.strike, expiry: expiry, quantity: entry.quantity))
        }
        return positions
    }
}
