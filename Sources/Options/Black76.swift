import Foundation

/// A call or a put.
package enum OptionType: String, Sendable, CaseIterable {
    case call
    case put
}

/// One European option's Black-76 value and sensitivities (contract section 7).
package struct OptionValue: Sendable, Equatable {
    /// The price in the forward's currency (USD per unit of the asset).
    package let price: Double
    /// `dV/dF` (discounted).
    package let delta: Double
    /// `d2V/dF2`.
    package let gamma: Double
    /// Value change per volatility point (`dV/ds / 100`).
    package let vega: Double
    /// Value change per calendar day (`-dV/dT / 365`).
    package let theta: Double

    package init(price: Double, delta: Double, gamma: Double, vega: Double, theta: Double) {
        self.price = price
        self.delta = delta
        self.gamma = gamma
        self.vega = vega
        self.theta = theta
    }
}

/// Black-76 on the forward `F` of the option's expiry (contract section 7):
/// `d1 = (ln(F/K) + s^2 T/2) / (s sqrt T)`, `d2 = d1 - s sqrt T`,
/// `call = e^{-rT} (F N(d1) - K N(d2))`, `put = e^{-rT} (K N(-d2) - F N(-d1))`,
/// `delta_call = e^{-rT} N(d1)`, `delta_put = -e^{-rT} N(-d1)`,
/// `gamma = e^{-rT} n(d1) / (F s sqrt T)`, `vega = F e^{-rT} n(d1) sqrt T / 100`,
/// `theta = (-F e^{-rT} n(d1) s / (2 sqrt T) + r price) / 365`.
///
/// Black (1976), "The pricing of commodity contracts", J. Financial Economics 3; the Greeks as
/// in Hull, *Options, Futures, and Other Derivatives*, ch. 19. `N` is evaluated as
/// `erfc(-x / sqrt 2) / 2`, accurate in both tails (a deep out-of-the-money price keeps its
/// relative precision instead of cancelling to 0). At or after expiry (`T <= 0`) or with no
/// volatility the option is worth its discounted intrinsic value, with delta a step and no
/// gamma, vega or theta.
package enum Black76 {
    /// The value and Greeks of one option.
    /// - Parameters:
    ///   - years: time to expiry `T` in years of 365 days.
    ///   - volatility: `s` as a fraction (0.55, not 55).
    ///   - rate: the continuously compounded discount rate `r`.
    package static func value(
        _ type: OptionType, forward: Double, strike: Double, years: Double, volatility: Double, rate: Double = 0
    ) -> OptionValue {
        let discount = Foundation.exp(-rate * Swift.max(years, 0))
        guard years > 0, volatility > 0 else {
            let intrinsic = type == .call ? Swift.max(forward - strike, 0) : Swift.max(strike - forward, 0)
            let inTheMoney = type == .call ? forward > strike : strike > forward
            return OptionValue(
                price: discount * intrinsic, delta: inTheMoney ? (type == .call ? discount : -discount) : 0, gamma: 0, vega: 0,
                theta: 0)
        }
        let root = years.squareRoot()
        let spread = volatility * root
        let d1 = (Foundation.log(forward / strike) + volatility * volatility * years / 2) / spread
        let d2 = d1 - spread
        let density = standardNormalDensity(d1)
        let price: Double
        let delta: Double
        switch type {
        case .call:
            price = discount * (forward * standardNormalCDF(d1) - strike * standardNormalCDF(d2))
            delta = discount * standardNormalCDF(d1)
        case .put:
            price = discount * (strike * standardNormalCDF(-d2) - forward * standardNormalCDF(-d1))
            delta = -discount * standardNormalCDF(-d1)
        }
        return OptionValue(
            price: price, delta: delta, gamma: discount * density / (forward * spread),
            vega: forward * discount * density * root / 100,
            theta: (-forward * discount * density * volatility / (2 * root) + rate * price) / 365)
    }

    /// The price alone (the implied-volatility solver's inner loop).
    package static func price(
        _ type: OptionType, forward: Double, strike: Double, years: Double, volatility: Double, rate: Double = 0
    ) -> Double {
        value(type, forward: forward, strike: strike, years: years, volatility: volatility, rate: rate).price
    }

    /// `N(x) = erfc(-x / sqrt 2) / 2`.
    package static func standardNormalCDF(_ x: Double) -> Double { 0.5 * Foundation.erfc(-x / 2.0.squareRoot()) }

    /// `n(x) = exp(-x^2 / 2) / sqrt(2 pi)`.
    package static func standardNormalDensity(_ x: Double) -> Double {
        Foundation.exp(-0.5 * x * x) / (2 * Double.pi).squareRoot()
    }
}
