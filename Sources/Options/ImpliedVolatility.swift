import Foundation

/// The volatility that reproduces an option's price under Black-76 (contract section 7).
///
/// Problem: find `s > 0` with `price(s) = target`; `price` rises strictly with `s` from the
/// discounted intrinsic value (`s -> 0`) to the discounted forward (call) or strike (put)
/// (`s -> infinity`), so a solution exists exactly when the target lies strictly between
/// them. Algorithm: Newton's method on `s` with the analytic vega, safeguarded by a bracket
/// `[low, high]` that every evaluation narrows (the sign of `price(s) - target` says which
/// end moves); a Newton step that leaves the bracket, or a vega too small to trust, is
/// replaced by bisection, so the iteration always converges (Press et al., *Numerical
/// Recipes*, 3rd ed., section 9.4, `rtsafe`). It stops when the price is reproduced to 1e-12
/// relative, or the bracket is as narrow as doubles allow; a volatility that then does not
/// reprice the target to 1e-9 relative (a price a hair above its intrinsic value, where the
/// price is flat in the volatility) is refused rather than returned. Why not Jaeckel's "Let's be
/// rational": that closed-form initial guess plus Householder steps is faster, but the
/// safeguarded Newton is short, provably convergent and fast enough for a chain of a few
/// thousand options.
package enum ImpliedVolatility {
    /// Why no volatility reproduces a price.
    package enum Refusal: Error, Equatable, CustomStringConvertible {
        /// At or below the discounted intrinsic value (the `s -> 0` limit).
        case belowIntrinsic(price: Double, intrinsic: Double)
        /// At or above the discounted forward (call) or strike (put) (the `s -> infinity`
        /// limit).
        case aboveBound(price: Double, bound: Double)
        /// Not a positive finite price, or an option already expired.
        case invalid(String)
        /// So close to a bound that no double volatility reprices it to 1e-9 relative (the
        /// closest reprices to `repriced`).
        case unresolvable(price: Double, repriced: Double)

        package var description: String {
            switch self {
            case .belowIntrinsic(let price, let intrinsic):
                "no volatility reproduces \(price): it is not above the discounted intrinsic value \(intrinsic)"
            case .aboveBound(let price, let bound):
                "no volatility reproduces \(price): it is not below \(bound), the value at infinite volatility"
            case .invalid(let detail): detail
            case .unresolvable(let price, let repriced):
                "no volatility reproduces \(price) to 1e-9 relative (the closest reprices to \(repriced)): it is too close to its bound for double precision"
            }
        }
    }

    /// The highest volatility searched (10,000% a year).
    static let highest = 100.0

    /// The implied volatility of `price`.
    /// - Throws: `Refusal` when no volatility reproduces it.
    package static func solve(
        _ type: OptionType, price target: Double, forward: Double, strike: Double, years: Double, rate: Double = 0
    ) throws(Refusal) -> Double {
        guard target.isFinite, target > 0 else { throw .invalid("the price must be a positive number; found \(target)") }
        guard years > 0 else { throw .invalid("the option has expired (T = \(years) years)") }
        let discount = Foundation.exp(-rate * years)
        let intrinsic = discount * (type == .call ? Swift.max(forward - strike, 0) : Swift.max(strike - forward, 0))
        let bound = discount * (type == .call ? forward : strike)
        guard target > intrinsic else { throw .belowIntrinsic(price: target, intrinsic: intrinsic) }
        guard target < bound else { throw .aboveBound(price: target, bound: bound) }
        func difference(_ s: Double) -> Double {
            Black76.price(type, forward: forward, strike: strike, years: years, volatility: s, rate: rate) - target
        }
        var low = 0.0
        var high = highest
        guard difference(high) >= 0 else { throw .aboveBound(price: target, bound: bound) }
        // Brenner and Subrahmanyam's at-the-money guess, kept inside the bracket.
        var s = Swift.min(Swift.max((2 * Double.pi / years).squareRoot() * target / forward, 1e-4), 5)
        for _ in 0..<200 {
            let value = Black76.value(type, forward: forward, strike: strike, years: years, volatility: s, rate: rate)
            let gap = value.price - target
            if Swift.abs(gap) <= 1e-12 * target { return s }
            if gap > 0 { high = s } else { low = s }
            let slope = value.vega * 100
            let newton = slope > 0 ? s - gap / slope : .nan
            s = newton.isFinite && newton > low && newton < high ? newton : (low + high) / 2
            if high - low <= 4 * Double.ulpOfOne * high { return try reproducing(s) }
        }
        return try reproducing(s)

        /// `s` when it reprices the target to 1e-9 relative; else the refusal.
        func reproducing(_ s: Double) throws(Refusal) -> Double {
            let repriced = Black76.price(type, forward: forward, strike: strike, years: years, volatility: s, rate: rate)
            guard Swift.abs(repriced - target) <= 1e-9 * target else { throw .unresolvable(price: target, repriced: repriced) }
            return s
        }
    }
}
