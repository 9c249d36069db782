import Artifacts
import Foundation
import Market
import Portfolio
import Support
import TestSupport
import Testing

/// The weights file (`regimen.weights/v1`): the risk block and `limits.measured` come from the
/// decision's risk window, and a baseline's file carries no `measured`.
@Suite("Weights file")
struct WeightsFileTests {
    static func market() throws -> Dataset {
        return try Fixtures.load(SyntheticMarket(assets: 3, periods: 200, seed: 5))
    }

    @Test("the risk block is the window's figures, the cash line makes the sum 1, and no measured block without limits")
    func riskAndCash() throws {
        let market = try Self.market()
        let weights = [0.3, 0.2, 0.1]
        let file = WeightsFile(
            allocation: Allocation(weights: weights), market: market, row: 199, source: .init(kind: "baseline", name: "x"),
            window: 90)
        #expect(Swift.abs(file.weights.values.reduce(0, +) - 1) < 1e-12)
        let risk = try #require(file.risk)
        let portfolio = (110...199).map { t in
            (0..<3).map { weights[$0] * (market.price(row: t, asset: $0)! / market.price(row: t - 1, asset: $0)! - 1) }.reduce(
                0, +)
        }
        let sorted = portfolio.sorted()
        // 0.99 of 90 returns: h = 90 * 0.01 + 0.99 - 1 = 0.89 -> between the two smallest.
        let quantile = sorted[0] + (sorted[1] - sorted[0]) * 0.89
        #expect(Swift.abs(try #require(risk.valueAtRisk) + quantile) < 1e-15)
        #expect(Swift.abs(try #require(risk.expectedShortfall) + sorted[0]) < 1e-15)
        let json = String(decoding: try CanonicalJSON.encode(file), as: UTF8.self)
        #expect(!json.contains("measured"))
    }

    @Test("the risk block is always written: zeros for all cash, nulls when the window does not fit")
    func riskBlockAlwaysThere() throws {
        let market = try Self.market()
        let source = WeightsFile.Source(kind: "baseline", name: "x")
        let cash = WeightsFile(allocation: Allocation(weights: [0, 0, 0]), market: market, row: 5, source: source, window: 90)
        #expect(cash.risk == .init(volAnnual: 0, valueAtRisk: 0, expectedShortfall: 0, confidence: 0.99))
        let short = WeightsFile(allocation: Allocation(weights: [0.5, 0, 0]), market: market, row: 5, source: source, window: 90)
        #expect(short.risk == .init(volAnnual: nil, valueAtRisk: nil, expectedShortfall: nil, confidence: 0.99))
        let json = String(decoding: try CanonicalJSON.encode(short), as: UTF8.self)
        #expect(json.contains(#""es" : null"#) && json.contains(#""var" : null"#) && json.contains(#""vol_annual" : null"#))
        // Negative control: with a full window the figures are numbers.
        let full = WeightsFile(
            allocation: Allocation(weights: [0.5, 0, 0]), market: market, row: 199, source: source, window: 90)
        #expect(full.risk?.valueAtRisk != nil)
        #expect(try JSONDecoder().decode(WeightsFile.self, from: CanonicalJSON.encode(short)) == short)
    }

    @Test("limits.measured is written with its keys and read back")
    func measuredRoundTrip() throws {
        var file = WeightsFile(
            asOf: "2022-01-01", source: .init(kind: "model", name: "m", version: "2"), weights: ["A": 0.5, "CASH": 0.5])
        file.limits = .init(
            binding: ["max_es"], relaxed: [],
            measured: .init(volAnnual: 0.2, expectedShortfall: 0.03, esConfidence: 0.975, window: 90))
        let data = try CanonicalJSON.encode(file)
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let measured = try #require((json["limits"] as? [String: Any])?["measured"] as? [String: Double])
        #expect(measured == ["vol_annual": 0.2, "es": 0.03, "es_confidence": 0.975, "window": 90])
        #expect(try JSONDecoder().decode(WeightsFile.self, from: data) == file)
    }
}
