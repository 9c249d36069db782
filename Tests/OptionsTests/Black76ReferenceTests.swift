import Foundation
import Options
import TestSupport
import Testing

/// Black-76 against an independent 50-digit computation over a grid (`Fixtures/black76-expected.json`,
/// made by `scripts/fixtures/make_options_fixtures.py` with mpmath, cross-checked with scipy).
@Suite("Black-76 reference grid")
struct Black76ReferenceTests {
    struct Case: Decodable {
        let type: String
        let F: Double
        let K: Double
        let T: Double
        let r: Double
        let sigma: Double
        let price: Double
        let price_coin: Double?
        let delta: Double?
        let gamma: Double?
        let vega: Double
        let theta: Double?
        let well_conditioned: Bool?
    }
    struct Refusal: Decodable {
        let type: String
        let F: Double
        let K: Double
        let T: Double
        let r: Double
        let price: Double
    }
    struct Reference: Decodable {
        let grid: [Case]
        let implied: [Case]
        let refusals: [Refusal]
    }

    static let reference = try! JSONDecoder().decode(
        Reference.self, from: Data(contentsOf: Fixtures.url("black76-expected.json")))

    /// 1e-12 relative for a well-conditioned case, 1e-14 absolute (in units of F) otherwise.
    static func agrees(_ found: Double, _ expected: Double, wellConditioned: Bool, scale: Double) -> Bool {
        let gap = Swift.abs(found - expected)
        return wellConditioned ? gap <= 1e-12 * Swift.abs(expected) + 1e-15 * scale : gap <= 1e-14 * scale
    }

    @Test("price, coin price and every Greek of all 560 grid cases")
    func grid() throws {
        #expect(Self.reference.grid.count == 560)
        for c in Self.reference.grid {
            let type = try #require(OptionType(rawValue: c.type))
            let v = Black76.value(type, forward: c.F, strike: c.K, years: c.T, volatility: c.sigma, rate: c.r)
            let good = c.well_conditioned ?? false
            let label = "\(c.type) K \(c.K) T \(c.T) s \(c.sigma) r \(c.r)"
            #expect(Self.agrees(v.price, c.price, wellConditioned: good, scale: c.F), "price \(label): \(v.price) vs \(c.price)")
            #expect(Self.agrees(v.price / c.F, try #require(c.price_coin), wellConditioned: good, scale: 1), "coin \(label)")
            #expect(Self.agrees(v.delta, try #require(c.delta), wellConditioned: good, scale: 1), "delta \(label)")
            #expect(Self.agrees(v.gamma, try #require(c.gamma), wellConditioned: good, scale: 1), "gamma \(label)")
            #expect(Self.agrees(v.vega, c.vega, wellConditioned: good, scale: c.F), "vega \(label)")
            #expect(Self.agrees(v.theta, try #require(c.theta), wellConditioned: good, scale: c.F), "theta \(label)")
        }
    }

    @Test("implied volatility recovers sigma to 1e-8 and reprices to 1e-12 on the 394 solvable cases")
    func implied() throws {
        #expect(Self.reference.implied.count > 300)
        for c in Self.reference.implied {
            let type = try #require(OptionType(rawValue: c.type))
            let sigma = try ImpliedVolatility.solve(type, price: c.price, forward: c.F, strike: c.K, years: c.T, rate: c.r)
            #expect(Swift.abs(sigma - c.sigma) <= 1e-8, "\(c.type) K \(c.K) T \(c.T): \(sigma) vs \(c.sigma)")
            let repriced = Black76.price(type, forward: c.F, strike: c.K, years: c.T, volatility: sigma, rate: c.r)
            #expect(Swift.abs(repriced - c.price) <= 1e-12 * c.price)
        }
    }

    @Test("every refusal case is refused")
    func refusals() throws {
        #expect(Self.reference.refusals.count >= 5)
        for c in Self.reference.refusals {
            let type = try #require(OptionType(rawValue: c.type))
            #expect(throws: ImpliedVolatility.Refusal.self, "\(c)") {
                try ImpliedVolatility.solve(type, price: c.price, forward: c.F, strike: c.K, years: c.T, rate: c.r)
            }
        }
    }
}
