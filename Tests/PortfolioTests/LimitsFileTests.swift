import Foundation
import Market
import Portfolio
import Testing

@Suite("Limits file")
struct LimitsFileTests {
    @Test("a full limits file parses")
    func parses() throws {
        let yaml = """
            long_only: true
            max_weight: 0.35
            asset_max: {BTC: 0.5, DOGE: 0.05}
            max_gross: 1.0
            min_cash: 0.05
            max_turnover: 0.5
            target_vol: 0.6
            max_es: 0.08
            es_confidence: 0.975
            regime_max_gross: {r2: 0.3}
            """
        let limits = try RiskLimits(yaml: yaml, file: "limits.yaml")
        #expect(
            limits.maxWeight == 0.35 && limits.assetMax["DOGE"] == 0.05 && limits.regimeMaxGross[RegimeLabel(state: 2)] == 0.3)
        #expect(limits.targetVolatility == 0.6 && limits.maxExpectedShortfall == 0.08 && limits.minCash == 0.05)
    }

    @Test(
        "bad limits name the file, line, column and rule",
        arguments: [
            (
                "max_wieght: 0.3",
                "limits.yaml:1:1: unknown limit 'max_wieght'; valid limits: long_only, max_weight, asset_max, max_gross, min_cash, max_turnover, target_vol, max_es, es_confidence, regime_max_gross, min_days_to_expiry, vega_budget, regime_vega_budget, max_short_gamma, max_premium, max_net_delta"
            ),
            ("max_weight: -0.1", "limits.yaml:1:13: max_weight must not be negative; found -0.1"),
            ("min_cash: 1.5", "limits.yaml:1:11: min_cash must be at most 1.0; found 1.5"),
            ("asset_max:\n  BTC: lots", "limits.yaml:2:8: asset_max.BTC must be a number; found 'lots'"),
            ("long_only: maybe", "limits.yaml:1:12: long_only must be true or false"),
        ])
    func rejects(_ pair: (String, String)) {
        let error = #expect(throws: RiskLimits.Problem.self) { try RiskLimits(yaml: pair.0, file: "limits.yaml") }
        #expect(error?.description == pair.1)
    }
}

@Suite("Example limits file")
struct ExampleLimitsTests {
    @Test("scripts/schedule/limits.example.yaml parses with every limit set")
    func example() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../scripts/schedule/limits.example.yaml"
        ).standardized
        let limits = try RiskLimits(yaml: String(contentsOf: url, encoding: .utf8), file: url.path)
        #expect(limits.maxWeight == 0.35 && limits.assetMax["DOGE"] == 0.05 && limits.maxGross == 1 && limits.minCash == 0.05)
        #expect(
            limits.maxTurnover == 0.5 && limits.targetVolatility == 0.8 && limits.maxExpectedShortfall == 0.1
                && limits.esConfidence == 0.975)
        #expect(limits.regimeMaxGross[RegimeLabel(state: 2)] == 0.3 && limits.longOnly)
    }
}
