import Foundation

/// Implied volatility for any strike and tenor from one number, the asset's 30-day
/// implied-volatility index (Deribit's DVOL, `features.csv`), by a term-structure and skew
/// rule calibrated once on a real option chain (contract section 7: "the term and skew rule
/// written in the project's docs"):
///
/// `s(K, T) = s30 * (T / T30)^termExponent * max(0.25, 1 + skew * x + curvature * x^2)`,
/// `x = ln(K / F) / sqrt(T)`, `T30 = 30 / 365`,
///
/// with `T` floored at one day in the term factor and the result capped at 500%. The skew is
/// sticky-moneyness: it moves with the forward, measured in standardised log-moneyness.
/// `calibrate` fits the three numbers to a chain: the at-the-money volatility of each expiry
/// (interpolated in log-moneyness), a least-squares power law of those in `T / T30` for the
/// term exponent, and a least-squares quadratic of `s / s_atm(T) - 1` in `x` over the quotes
/// within 50% log-moneyness for the skew and curvature. `deribitBTC` is that fit on the
/// out-of-the-money quotes of the Deribit BTC snapshot (`../shared/data/options-snapshots`;
/// the test that recomputes it says how): the term structure rises slowly (`T^0.12`), the
/// smile is nearly symmetric with a curvature of 0.17 per unit of squared standardised
/// moneyness. Within 20% of the money and from 7 days out it reproduces the snapshot's IVs
/// from the 30-day level alone to 2.2 vol points RMS (a flat rule: 7.6).
package struct VolatilitySurface: Sendable, Equatable, Codable {
    /// `gamma`: the at-the-money term structure `(T / T30)^gamma`.
    package var termExponent: Double
    /// `a`: the slope of the smile in standardised log-moneyness.
    package var skew: Double
    /// `b`: its curvature.
    package var curvature: Double

    package init(termExponent: Double, skew: Double, curvature: Double) {
        self.termExponent = termExponent
        self.skew = skew
        self.curvature = curvature
    }

    /// Thirty days in years.
    package static let thirtyDays = 30.0 / 365

    /// The rule calibrated on the Deribit BTC snapshot (valued at 2024-05-24 19:11 UTC, the
    /// time its marks fit; `Tests/OptionsTests/DeribitSnapshotTests.swift`).
    package static let deribitBTC = VolatilitySurface(
        termExponent: 0.12095689765455567, skew: -0.010679253664607674, curvature: 0.17489493885699234)

    /// The volatility of strike `strike` and `years` to expiry, given the 30-day index `atm30`
    /// (a fraction).
    package func volatility(atm30: Double, forward: Double, strike: Double, years: Double) -> Double {
        let t = Swift.max(years, 1.0 / 365)
        let x = Foundation.log(strike / forward) / t.squareRoot()
        let term = Foundation.pow(t / Self.thirtyDays, termExponent)
        return Swift.min(atm30 * term * Swift.max(0.25, 1 + skew * x + curvature * x * x), 5)
    }

    /// One quote of a chain: strike, the expiry's forward, years to expiry, implied volatility.
    package struct Quote: Sendable, Equatable {
        package let strike: Double
        package let forward: Double
        package let years: Double
        package let volatility: Double

        package init(strike: Double, forward: Double, years: Double, volatility: Double) {
            self.strike = strike
            self.forward = forward
            self.years = years
            self.volatility = volatility
        }
    }

    /// The rule fitted to `quotes` (see the type's documentation), with the at-the-money
    /// volatility of each expiry it used.
    /// - Returns: nil when fewer than two expiries have quotes on both sides of the forward.
    package static func calibrate(_ quotes: [Quote]) -> (surface: VolatilitySurface, atm: [(years: Double, volatility: Double)])?
    {
        let expiries = Dictionary(grouping: quotes, by: \.years)
        var atm: [(years: Double, volatility: Double)] = []
        for (years, group) in expiries {
            let sorted = group.map { (Foundation.log($0.strike / $0.forward), $0.volatility) }.sorted { $0.0 < $1.0 }
            guard let above = sorted.firstIndex(where: { $0.0 >= 0 }), above > 0 else { continue }
            let (x0, s0) = sorted[above - 1]
            let (x1, s1) = sorted[above]
            atm.append((years, x1 == x0 ? s1 : s0 + (s1 - s0) * (0 - x0) / (x1 - x0)))
        }
        atm.sort { $0.years < $1.years }
        guard atm.count >= 2 else { return nil }
        // The 30-day at-the-money volatility, log-linear in T between the straddling expiries.
        let t30 = thirtyDays
        let upper = atm.firstIndex { $0.years >= t30 } ?? atm.count - 1
        let lower = Swift.max(upper - 1, 0)
        let (ta, sa) = atm[lower]
        let (tb, sb) = atm[upper == lower ? Swift.min(lower + 1, atm.count - 1) : upper]
        let s30 = Foundation.exp(
            Foundation.log(sa) + (Foundation.log(sb) - Foundation.log(sa)) * (Foundation.log(t30 / ta) / Foundation.log(tb / ta)))
        var (num, den) = (0.0, 0.0)
        for point in atm {
            let l = Foundation.log(point.years / t30)
            num += l * Foundation.log(point.volatility / s30)
            den += l * l
        }
        let gamma = den > 0 ? num / den : 0
        // Skew and curvature: least squares of s / s_atm - 1 = a x + b x^2.
        var (sxx, sxx3, sx4, sxy, sx2y) = (0.0, 0.0, 0.0, 0.0, 0.0)
        let atmOf = Dictionary(atm.map { ($0.years, $0.volatility) }, uniquingKeysWith: { a, _ in a })
        for quote in quotes {
            guard let level = atmOf[quote.years] else { continue }
            let m = Foundation.log(quote.strike / quote.forward)
            guard Swift.abs(m) <= 0.5 else { continue }
            let x = m / Swift.max(quote.years, 1.0 / 365).squareRoot()
            let y = quote.volatility / level - 1
            sxx += x * x
            sxx3 += x * x * x
            sx4 += x * x * x * x
            sxy += x * y
            sx2y += x * x * y
        }
        let determinant = sxx * sx4 - sxx3 * sxx3
        guard determinant > 0 else { return nil }
        let a = (sxy * sx4 - sx2y * sxx3) / determinant
        let b = (sxx * sx2y - sxx3 * sxy) / determinant
        return (VolatilitySurface(termExponent: gamma, skew: a, curvature: b), atm)
    }
}
