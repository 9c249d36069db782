import Foundation
import Market

/// The limits an overlay must satisfy at one decision (contract sections 6 and 7), resolved
/// for the decision's regime: `vega_budget` (the smaller of it and the regime's
/// `regime_vega_budget`), `max_short_gamma`, `max_premium`, `min_days_to_expiry`,
/// `max_net_delta`.
package struct OverlayCaps: Sendable, Equatable {
    /// The largest `|vega|` (NAV per volatility point), and whether it is the regime's budget.
    package var vega: (limit: Double, fromRegime: Bool)?
    /// The largest short gamma `max(0, -gamma)`.
    package var shortGamma: Double?
    /// The largest premium paid in one decision (fraction of NAV).
    package var premium: Double?
    /// The fewest days to expiry an option may be held with.
    package var minDaysToExpiry: Double?
    /// The largest `|weight + delta|` of the overlay's asset.
    package var netDelta: Double?
    /// The largest worth of the options held after the decision (fraction of NAV): the cash
    /// above its floor once the weights are set, since the options are paid for from cash
    /// and the weights file's cash line is what is left (`min_cash` holds for the final book).
    package var value: Double?

    package init() {}

    package static func == (a: OverlayCaps, b: OverlayCaps) -> Bool {
        a.vega?.limit == b.vega?.limit && a.vega?.fromRegime == b.vega?.fromRegime && a.shortGamma == b.shortGamma
            && a.premium == b.premium && a.minDaysToExpiry == b.minDaysToExpiry && a.netDelta == b.netDelta
            && a.value == b.value
    }
}

/// A cap an overlay met with (the limits file names it; `Portfolio.LimitBinding` spells it).
package enum OverlayCap: Sendable, Hashable {
    /// The vega budget, or the regime's when `fromRegime`.
    case vega(fromRegime: Bool)
    case shortGamma
    case premium
    /// The net delta of the overlay's asset.
    case netDelta(asset: String)
    /// The cash floor: the options' worth may not take cash below `min_cash`.
    case cashFloor
}

/// An overlay's decision at one date: settle what expired, close what is due to roll (or
/// closer to expiry than `min_days_to_expiry`), open the structure when nothing is held, and
/// scale the whole book down by the largest factor in `[0, 1]` that meets every cap (the
/// Greeks, the premium and the asset's net delta are linear in the quantities, so the
/// factor is exact; hard limits win: the overlay gives, never the caps).
package enum OverlayDecision {
    /// What the decision holds and traded.
    package struct Outcome: Sendable {
        /// The positions held after the decision (quantities per unit of NAV).
        package let positions: [OverlayPosition]
        /// The absolute value of options bought and sold (fraction of NAV; fees apply to it).
        package let traded: Double
        /// Premium paid for options bought in this decision (fraction of NAV).
        package let premiumPaid: Double
        /// Cash received from options that expired in the money (fraction of NAV).
        package let settled: Double
        /// The book's Greeks after the decision.
        package let greeks: OverlayGreeks
        /// The caps that reduced the book.
        package let binding: [OverlayCap]
        /// Caps no scaling could meet (the asset's weight alone breaks `max_net_delta`).
        package let broken: [OverlayCap]
    }

    /// Decides the overlay of `spec` with `held` positions, the asset's target `weight` (and
    /// the risky book's total `book`, which `hedge: portfolio` hedges), on `market`, under
    /// `caps`.
    package static func decide(
        _ spec: OverlaySpec, held: [OverlayPosition], weight: Double, book risky: Double? = nil, market: OptionMarket,
        caps: OverlayCaps
    ) -> Outcome {
        var kept: [OverlayPosition] = []
        var traded = 0.0
        var settled = 0.0
        let minimumDays = Swift.max(Double(spec.rollDays), caps.minDaysToExpiry ?? 0)
        for position in held {
            let days = position.daysToExpiry(from: market.date)
            let worth = position.quantity * market.value(position).price
            if days <= 0 {
                settled += worth
            } else if days <= minimumDays {
                traded += Swift.abs(worth)
            } else {
                kept.append(position)
            }
        }
        var opened: [OverlayPosition] = []
        if kept.isEmpty, Double(spec.tenorDays) >= (caps.minDaysToExpiry ?? 0) {
            opened = open(spec, weight: spec.hedge == .portfolio ? (risky ?? weight) : weight, market: market)
        }
        var book = kept + opened
        let greeks = OverlayGreeks(book, on: market)
        let premium = opened.reduce(0.0) { $0 + Swift.max($1.quantity * market.value($1).price, 0) }
        var scale = 1.0
        var binding: [OverlayCap] = []
        func cap(_ factor: Double, _ name: OverlayCap) {
            if factor < scale {
                scale = Swift.max(factor, 0)
                binding.append(name)
            }
        }
        if let vega = caps.vega, Swift.abs(greeks.vega) > vega.limit {
            cap(vega.limit / Swift.abs(greeks.vega), .vega(fromRegime: vega.fromRegime))
        }
        if let limit = caps.shortGamma, -greeks.gamma > limit { cap(limit / -greeks.gamma, .shortGamma) }
        if let limit = caps.premium, premium > limit { cap(limit / premium, .premium) }
        if let limit = caps.value, greeks.value > Swift.max(limit, 0) { cap(Swift.max(limit, 0) / greeks.value, .cashFloor) }
        var broken: [OverlayCap] = []
        if let limit = caps.netDelta {
            // |weight + k delta| <= limit for k in [0, scale]: the largest such k.
            let name = OverlayCap.netDelta(asset: spec.asset)
            if let largest = largestScale(weight: weight, delta: greeks.delta, limit: limit, upTo: scale) {
                cap(largest, name)
            } else {
                broken.append(name)
                cap(0, name)
            }
        }
        // Kept positions cut by the scale are sold; opened ones are bought at the scale.
        for position in kept { traded += Swift.abs((1 - scale) * position.quantity * market.value(position).price) }
        for position in opened { traded += Swift.abs(scale * position.quantity * market.value(position).price) }
        book = book.map { position in
            var scaled = position
            scaled.quantity *= scale
            return scaled
        }.filter { $0.quantity != 0 }
        return Outcome(
            positions: book, traded: traded, premiumPaid: premium * scale, settled: settled,
            greeks: OverlayGreeks(book, on: market), binding: binding, broken: broken)
    }

    /// The structure of `spec` opened on `market`, expiring `tenor_days` later.
    static func open(_ spec: OverlaySpec, weight: Double, market: OptionMarket) -> [OverlayPosition] {
        let expiry = Timestamp(
            secondsSinceEpoch: market.date.secondsSinceEpoch + Int64(spec.tenorDays) * 86_400, isDateOnly: market.date.isDateOnly)
        let s = market.spot
        func position(_ type: OptionType, _ moneyness: Double, _ quantity: Double) -> OverlayPosition {
            OverlayPosition(asset: spec.asset, type: type, strike: moneyness * s, expiry: expiry, quantity: quantity)
        }
        func vega(_ type: OptionType, _ moneyness: Double) -> Double {
            market.value(type: type, strike: moneyness * s, expiry: expiry).vega
        }
        switch spec.structure {
        case .protectivePut:
            guard weight > 0 else { return [] }
            return [position(.put, spec.moneyness, spec.hedgeRatio * weight / s)]
        case .straddle:
            let pair = vega(.call, spec.moneyness) + vega(.put, spec.moneyness)
            guard pair > 0 else { return [] }
            let q = spec.vegaTarget / pair
            return [position(.call, spec.moneyness, q), position(.put, spec.moneyness, q)]
        case .callSpread:
            let net = vega(.call, spec.moneyness) - vega(.call, spec.moneyness + spec.width)
            guard net > 1e-12 else { return [] }
            let q = spec.vegaTarget / net
            return [position(.call, spec.moneyness, q), position(.call, spec.moneyness + spec.width, -q)]
        }
    }

    /// The largest `k` in `[0, upTo]` with `|weight + k delta| <= limit`, nil when none.
    static func largestScale(weight: Double, delta: Double, limit: Double, upTo: Double) -> Double? {
        if delta == 0 { return Swift.abs(weight) <= limit ? upTo : nil }
        let (a, b) = ((-limit - weight) / delta, (limit - weight) / delta)
        let (low, high) = (Swift.min(a, b), Swift.max(a, b))
        let best = Swift.min(high, upTo)
        return best >= Swift.max(low, 0) ? best : nil
    }
}
