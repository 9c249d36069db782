import Foundation
import Market
import Options
import PropertyBased
import Support
import TestSupport
import Testing

/// The overlay's decision (contract section 7): its Greeks never exceed a cap, whatever the
/// caps, surface and market (swift-property-based); it rolls and settles; and a full
/// revaluation of a protective put under a crash matches an independent computation.
@Suite("Options overlay")
struct OverlayTests {
    static let date = Timestamp(parsing: "2022-06-01")!

    /// A spec, market and caps drawn from a seed.
    static func draw(_ seed: UInt64) -> (OverlaySpec, OptionMarket, OverlayCaps, Double) {
        var g = SeededGenerator(seed: seed)
        func uniform(_ range: ClosedRange<Double>) -> Double {
            range.lowerBound + (range.upperBound - range.lowerBound) * g.nextUnitInterval()
        }
        func maybe(_ range: ClosedRange<Double>) -> Double? { g.nextUnitInterval() < 0.6 ? uniform(range) : nil }
        var spec = OverlaySpec(structure: OverlaySpec.Structure.allCases[Int(g.next() % 3)], asset: "BTC")
        spec.tenorDays = 7 + Int(g.next() % 90)
        spec.rollDays = Int(g.next() % 5)
        spec.moneyness = spec.structure == .straddle ? uniform(0.9...1.1) : uniform(0.6...1.2)
        spec.width = uniform(0.02...0.5)
        spec.hedgeRatio = uniform(0.1...2)
        spec.vegaTarget = uniform(-0.01...0.01)
        let surface = VolatilitySurface(termExponent: uniform(-0.3...0.3), skew: uniform(-0.3...0.3), curvature: uniform(0...0.5))
        let market = OptionMarket(date: date, spot: uniform(100...100_000), atm30: uniform(0.1...2), surface: surface)
        var caps = OverlayCaps()
        if let limit = maybe(0...0.01) { caps.vega = (limit, false) }
        caps.shortGamma = maybe(0...0.5)
        caps.premium = maybe(0...0.05)
        caps.minDaysToExpiry = maybe(0...60)
        caps.netDelta = maybe(0...1.2)
        caps.value = maybe(-0.01...0.05)
        return (spec, market, caps, uniform(0...1))
    }

    @Test("the overlay never breaks a cap: vega, short gamma, premium, days to expiry, net delta, the cash floor (value)")
    func capsHold() async {
        await propertyCheck(count: 500, input: Gen.uint64(in: 0...UInt64.max)) { seed in
            let (spec, market, caps, weight) = Self.draw(seed)
            let outcome = OverlayDecision.decide(spec, held: [], weight: weight, market: market, caps: caps)
            let g = outcome.greeks
            let tolerance = 1e-12
            if let vega = caps.vega { #expect(Swift.abs(g.vega) <= vega.limit * (1 + tolerance) + tolerance, "seed \(seed)") }
            if let limit = caps.shortGamma { #expect(-g.gamma <= limit * (1 + tolerance) + tolerance, "seed \(seed)") }
            if let limit = caps.premium { #expect(outcome.premiumPaid <= limit * (1 + tolerance) + tolerance, "seed \(seed)") }
            if let limit = caps.minDaysToExpiry {
                #expect(outcome.positions.allSatisfy { $0.daysToExpiry(from: market.date) >= limit }, "seed \(seed)")
            }
            if let limit = caps.netDelta, outcome.broken.isEmpty {
                #expect(Swift.abs(weight + g.delta) <= limit * (1 + tolerance) + tolerance, "seed \(seed)")
            }
            if let limit = caps.value { #expect(g.value <= Swift.max(limit, 0) * (1 + tolerance) + tolerance, "seed \(seed)") }
            #expect(outcome.broken.isEmpty || (caps.netDelta.map { Swift.abs(weight) > $0 } ?? false))
            #expect(g.value.isFinite && g.vega.isFinite && g.gamma.isFinite)
        }
    }

    @Test("without caps each structure opens at its size: a put per unit held, a straddle and a spread at the vega target")
    func sizing() throws {
        let market = OptionMarket(date: Self.date, spot: 30_000, atm30: 0.7)
        var put = OverlaySpec(structure: .protectivePut, asset: "BTC")
        put.hedgeRatio = 0.5
        let hedged = OverlayDecision.decide(put, held: [], weight: 0.4, market: market, caps: OverlayCaps())
        #expect(hedged.positions.count == 1 && hedged.positions[0].type == .put)
        #expect(Swift.abs(hedged.positions[0].quantity * 30_000 - 0.2) <= 1e-15)
        #expect(Swift.abs(hedged.positions[0].strike - 27_000) <= 1e-9)
        // hedge: portfolio sizes the put on the whole risky book instead of the asset's weight.
        put.hedge = .portfolio
        let book = OverlayDecision.decide(put, held: [], weight: 0.4, book: 0.9, market: market, caps: OverlayCaps())
        #expect(Swift.abs(book.positions[0].quantity * 30_000 - 0.45) <= 1e-15)
        for structure in [OverlaySpec.Structure.straddle, .callSpread] {
            var spec = OverlaySpec(structure: structure, asset: "BTC")
            spec.vegaTarget = 0.002
            let outcome = OverlayDecision.decide(spec, held: [], weight: 0.4, market: market, caps: OverlayCaps())
            #expect(Swift.abs(outcome.greeks.vega - 0.002) <= 1e-15, "\(structure)")
            #expect(
                Swift.abs(
                    outcome.premiumPaid
                        - outcome.positions.filter { $0.quantity > 0 }.reduce(0) { $0 + $1.quantity * market.value($1).price })
                    <= 1e-15)
        }
        // Negative control: a vega budget below the target cuts the book to the budget.
        var spec = OverlaySpec(structure: .straddle, asset: "BTC")
        spec.vegaTarget = 0.002
        var caps = OverlayCaps()
        caps.vega = (0.0005, false)
        let capped = OverlayDecision.decide(spec, held: [], weight: 0.4, market: market, caps: caps)
        #expect(Swift.abs(capped.greeks.vega - 0.0005) <= 1e-15 && capped.binding == [.vega(fromRegime: false)])
    }

    @Test("a held option rolls roll_days before expiry and settles at intrinsic value at expiry")
    func rollsAndSettles() throws {
        let spec = OverlaySpec(structure: .protectivePut, asset: "BTC")
        let expiry = try #require(Timestamp(parsing: "2022-06-10"))
        let held = [OverlayPosition(asset: "BTC", type: .put, strike: 30_000, expiry: expiry, quantity: 1e-5)]
        // 9 days left: kept.
        let early = OverlayDecision.decide(
            spec, held: held, weight: 0.4, market: OptionMarket(date: Self.date, spot: 31_000, atm30: 0.6), caps: OverlayCaps())
        #expect(early.positions == held && early.traded == 0)
        // 5 days left: closed at its mark and a new 30-day put opened.
        let rollDate = try #require(Timestamp(parsing: "2022-06-05"))
        let rolled = OverlayDecision.decide(
            spec, held: held, weight: 0.4, market: OptionMarket(date: rollDate, spot: 31_000, atm30: 0.6), caps: OverlayCaps())
        #expect(rolled.positions.count == 1 && rolled.positions[0].expiry != expiry)
        #expect(rolled.positions[0].daysToExpiry(from: rollDate) == 30)
        // At expiry: settled at intrinsic (30,000 - 25,000 per unit), not traded.
        let settled = OverlayDecision.decide(
            spec, held: held, weight: 0, market: OptionMarket(date: expiry, spot: 25_000, atm30: 0.6), caps: OverlayCaps())
        #expect(Swift.abs(settled.settled - 1e-5 * 5_000) <= 1e-15 && settled.traded == 0 && settled.positions.isEmpty)
    }

    /// An independent Black-76 put (no shared code): `K N(-d2) - F N(-d1)` with `N` from `erf`.
    static func put(forward: Double, strike: Double, years: Double, volatility: Double) -> Double {
        func n(_ x: Double) -> Double { (1 + erf(x / 2.squareRoot())) / 2 }
        let d1 = (log(forward / strike) + volatility * volatility * years / 2) / (volatility * years.squareRoot())
        let d2 = d1 - volatility * years.squareRoot()
        return strike * n(-d2) - forward * n(-d1)
    }

    @Test("a crash of -50% spot and +60 vol points, revalued in full, on a protective put")
    func crashRevaluation() {
        let flat = VolatilitySurface(termExponent: 0, skew: 0, curvature: 0)
        let market = OptionMarket(date: Self.date, spot: 30_000, atm30: 0.6, surface: flat)
        let expiry = Timestamp(secondsSinceEpoch: Self.date.secondsSinceEpoch + 30 * 86_400, isDateOnly: true)
        let position = OverlayPosition(asset: "BTC", type: .put, strike: 27_000, expiry: expiry, quantity: 0.5 / 30_000)
        let crashed = market.shocked(spotMove: -0.5, volatilityPoints: 60)
        let before = OverlayGreeks([position], on: market).value
        let after = OverlayGreeks([position], on: crashed).value
        let years = 30.0 / 365
        let expectedBefore = 0.5 / 30_000 * Self.put(forward: 30_000, strike: 27_000, years: years, volatility: 0.6)
        let expectedAfter = 0.5 / 30_000 * Self.put(forward: 15_000, strike: 27_000, years: years, volatility: 1.2)
        #expect(Swift.abs(before - expectedBefore) <= 1e-12 * expectedBefore)
        #expect(Swift.abs(after - expectedAfter) <= 1e-12 * expectedAfter)
        // The put pays back most of the 50% fall on the half of NAV it hedges.
        #expect(after - before > 0.18)
        // A delta approximation misses most of it: full revaluation is not linear.
        let linear = OverlayGreeks([position], on: market).delta * -0.5
        #expect(Swift.abs(linear - (after - before)) > 0.05)
    }
}
