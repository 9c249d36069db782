import Foundation
import Market
import Options
import TestSupport
import Testing

/// Black-76 prices, Greeks and implied volatility (contract section 7) against a published
/// value, their own definitions by central differences in Float64, parity, and a round trip.
@Suite("Black-76")
struct Black76Tests {
    static func relative(_ a: Double, _ b: Double) -> Double { Swift.abs(a - b) / Swift.max(Swift.abs(b), 1e-300) }

    @Test("py_vollib's worked value: F = K = 100, s = 0.2, r = 0.02, T = 0.5 gives a call of 5.5811067246048118")
    func published() {
        let call = Black76.price(.call, forward: 100, strike: 100, years: 0.5, volatility: 0.2, rate: 0.02)
        #expect(Self.relative(call, 5.5811067246048118) <= 1e-14)
    }

    static let points: [(OptionType, Double, Double, Double, Double, Double)] = OptionType.allCases.flatMap { type in
        [
            (100.0, 80.0, 0.25, 0.6, 0.0), (100, 100, 0.5, 0.2, 0.02), (100, 130, 1.5, 0.9, 0.05),
            (68_000, 75_000, 30 / 365, 0.55, 0),
        ]
        .map { (type, $0.0, $0.1, $0.2, $0.3, $0.4) }
    }

    @Test("every Greek equals the central difference of the price it is defined from", arguments: points.indices)
    func greeksByFiniteDifferences(_ index: Int) {
        let (type, f, k, t, s, r) = Self.points[index]
        func price(_ f: Double, _ t: Double, _ s: Double) -> Double {
            Black76.price(type, forward: f, strike: k, years: t, volatility: s, rate: r)
        }
        let value = Black76.value(type, forward: f, strike: k, years: t, volatility: s, rate: r)
        let (hf, ht, hs) = (f * 1e-4, t * 1e-4, 1e-5)
        let delta = (price(f + hf, t, s) - price(f - hf, t, s)) / (2 * hf)
        let gamma = (price(f + hf, t, s) - 2 * value.price + price(f - hf, t, s)) / (hf * hf)
        let vega = (price(f, t, s + hs) - price(f, t, s - hs)) / (2 * hs) / 100
        let theta = -(price(f, t + ht, s) - price(f, t - ht, s)) / (2 * ht) / 365
        #expect(Self.relative(value.delta, delta) <= 1e-7, "delta \(value.delta) vs \(delta)")
        #expect(Self.relative(value.gamma, gamma) <= 1e-5, "gamma \(value.gamma) vs \(gamma)")
        #expect(Self.relative(value.vega, vega) <= 1e-7, "vega \(value.vega) vs \(vega)")
        #expect(Self.relative(value.theta, theta) <= 1e-6, "theta \(value.theta) vs \(theta)")
        // Negative control: the same check fails for a mis-scaled vega (per unit, not per point).
        #expect(Self.relative(value.vega * 100, vega) > 1)
    }

    @Test("put-call parity: C - P = e^{-rT} (F - K) in USD and e^{-rT} (1 - K/F) in coin", arguments: points.indices)
    func parity(_ index: Int) {
        let (_, f, k, t, s, r) = Self.points[index]
        let call = Black76.price(.call, forward: f, strike: k, years: t, volatility: s, rate: r)
        let put = Black76.price(.put, forward: f, strike: k, years: t, volatility: s, rate: r)
        let discount = Foundation.exp(-r * t)
        #expect(Swift.abs((call - put) - discount * (f - k)) <= 1e-12 * f)
        #expect(Swift.abs((call - put) / f - discount * (1 - k / f)) <= 1e-12)
    }

    @Test("implied volatility recovers the volatility over moneyness and tenors, and reprices to 1e-12")
    func roundTrip() throws {
        var solved = 0
        for type in OptionType.allCases {
            for moneyness in [0.5, 0.8, 0.95, 1.0, 1.05, 1.25, 2.0] {
                for years in [2.0 / 365, 30.0 / 365, 0.5, 2.0] {
                    for sigma in [0.1, 0.5, 1.2] {
                        let (f, k) = (100.0, 100.0 * moneyness)
                        let value = Black76.value(type, forward: f, strike: k, years: years, volatility: sigma, rate: 0.01)
                        guard value.price > 1e-10 * f, value.vega > 1e-9 else { continue }
                        let implied = try ImpliedVolatility.solve(
                            type, price: value.price, forward: f, strike: k, years: years, rate: 0.01)
                        let repriced = Black76.price(type, forward: f, strike: k, years: years, volatility: implied, rate: 0.01)
                        #expect(Self.relative(repriced, value.price) <= 1e-12, "\(type) K \(k) T \(years) s \(sigma)")
                        #expect(Swift.abs(implied - sigma) <= 1e-6, "\(type) K \(k) T \(years) s \(sigma): \(implied)")
                        solved += 1
                    }
                }
            }
        }
        #expect(solved > 120)
    }

    @Test("no volatility reproduces a price at or below intrinsic, or at or above the forward (call) or strike (put)")
    func refusals() {
        #expect(throws: ImpliedVolatility.Refusal.self) {
            try ImpliedVolatility.solve(.call, price: 19.9, forward: 100, strike: 80, years: 0.5)
        }
        #expect(throws: ImpliedVolatility.Refusal.self) {
            try ImpliedVolatility.solve(.call, price: 100, forward: 100, strike: 80, years: 0.5)
        }
        #expect(throws: ImpliedVolatility.Refusal.self) {
            try ImpliedVolatility.solve(.put, price: 130, forward: 100, strike: 130, years: 0.5)
        }
        #expect(throws: ImpliedVolatility.Refusal.self) {
            try ImpliedVolatility.solve(.put, price: -1, forward: 100, strike: 130, years: 0.5)
        }
        // Negative control: just above intrinsic is solvable.
        #expect((try? ImpliedVolatility.solve(.call, price: 20.01, forward: 100, strike: 80, years: 0.5)) != nil)
        // A hair above intrinsic (0 for a far out-of-the-money call): the price is flat in the
        // volatility there, and the closest volatility repriced to 3e-90; refused, not returned.
        #expect(throws: ImpliedVolatility.Refusal.self) {
            try ImpliedVolatility.solve(.call, price: 1e-100 * 100, forward: 100, strike: 150, years: 0.5)
        }
        #expect((try? ImpliedVolatility.solve(.call, price: 1e-6, forward: 100, strike: 150, years: 0.5)) != nil)
    }

    @Test("at expiry an option is worth its intrinsic value, with a step delta and no gamma, vega or theta")
    func expired() {
        let call = Black76.value(.call, forward: 110, strike: 100, years: 0, volatility: 0.5)
        #expect(call == OptionValue(price: 10, delta: 1, gamma: 0, vega: 0, theta: 0))
        let put = Black76.value(.put, forward: 110, strike: 100, years: 0, volatility: 0.5)
        #expect(put == OptionValue(price: 0, delta: 0, gamma: 0, vega: 0, theta: 0))
    }

    static let chainCases: [(String, String, String)] = [
        ("asset,type,strike,expiry,forward,iv\nBTC,straddle,100,2024-07-01,100,0.5\n", ":2:2", "invalid-field"),
        ("asset,type,strike,expiry,forward,iv\nBTC,call,-100,2024-07-01,100,0.5\n", ":2:3", "invalid-field"),
        ("asset,type,strike,expiry,forward,iv\nBTC,call,100,2023-07-01,100,0.5\n", ":2:4", "invalid-field"),
        ("asset,type,strike,expiry,forward,iv\nBTC,call,100,01/07/2024,100,0.5\n", ":2:4", "unparsable-date"),
        ("asset,type,strike,expiry,forward,iv\nBTC,call,100,2024-07-01,100,NaN\n", ":2:6", "unparsable-number"),
        ("asset,type,strike,expiry,forward,iv\nBTC,call,100,2024-07-01,100\n", ":2:6", "ragged-row"),
        ("asset,type,strike,expiry,forward\nBTC,call,100,2024-07-01,100\n", ":1:", "missing-column"),
        ("asset,type,strike,expiry,forward,vol\nBTC,call,100,2024-07-01,100,0.5\n", ":1:6", "unknown-column"),
        // A volatility beyond the solver's range, where Black-76 in doubles prices at intrinsic.
        ("asset,type,strike,expiry,forward,iv\nBTC,call,100,2024-07-01,100,1e308\n", ":2:6", "invalid-field"),
    ]

    @Test("a bad chain row is refused with its line, column and rule", arguments: chainCases.indices)
    func chainRefusals(_ index: Int) throws {
        let (text, place, slug) = Self.chainCases[index]
        let at = try #require(Timestamp(parsing: "2024-01-01"))
        let error = #expect(throws: OptionChainProblems.self) {
            try OptionChain(text: text, file: "chain.csv", valuation: at, rate: 0, implied: false)
        }
        #expect(error?.problems.first?.slug == slug, "\(String(describing: error))")
        #expect(error?.description.hasPrefix("chain.csv" + place) == true, "\(String(describing: error))")
    }

    @Test("implied mode: a coin price below intrinsic is written with a note (refused with --strict); a good one round-trips")
    func impliedChain() throws {
        let at = try #require(Timestamp(parsing: "2024-05-23T18:11:00Z"))
        let expiry = "2024-07-01T08:00:00Z"
        let years = Double(try #require(Timestamp(parsing: expiry)).secondsSinceEpoch - at.secondsSinceEpoch) / (365 * 86_400)
        let coin = Black76.price(.call, forward: 68_000, strike: 70_000, years: years, volatility: 0.6) / 68_000
        let good = "asset,type,strike,expiry,forward,price_coin\nBTC,call,70000,\(expiry),68000,\(coin)\n"
        let priced = try OptionChain(text: good, file: "chain.csv", valuation: at, rate: 0, implied: true)
        #expect(Swift.abs(try #require(priced.rows[0].volatility) - 0.6) <= 1e-9)
        #expect(priced.rows[0].note.isEmpty)
        let bad =
            "asset,type,strike,expiry,forward,price_coin\nBTC,put,70000,\(expiry),68000,0.01\nBTC,call,70000,\(expiry),68000,\(coin)\n"
        let noted = try OptionChain(text: bad, file: "chain.csv", valuation: at, rate: 0, implied: true)
        #expect(noted.rows.count == 2 && noted.rows[0].volatility == nil && noted.rows[0].value == nil)
        #expect(noted.rows[0].note.hasPrefix("below intrinsic by 1320 USD"), "\(noted.rows[0].note)")
        #expect(Swift.abs(noted.rows[0].price - 680) <= 1e-9 && noted.rows[1].volatility != nil)
        #expect(noted.csv.split(separator: "\n")[1].hasSuffix(",,,,,\(noted.rows[0].note)"), "\(noted.csv)")
        let error = #expect(throws: OptionChainProblems.self) {
            try OptionChain(text: bad, file: "chain.csv", valuation: at, rate: 0, implied: true, strict: true)
        }
        #expect(error?.description.hasPrefix("chain.csv:2:6:") == true && error?.description.contains("intrinsic") == true)
        #expect(error?.problems.count == 1)
    }
}
