import Artifacts
import Foundation
import Market
import TestSupport
import Testing

/// `regimen risk`'s basis scenarios (contract section 7) on the futures fixture of the
/// backtest tests: on 2024-04-01 AAA (linear) is held through AAAJ4 at 107.7 against a spot
/// of 106 with 25 days left, BBB (inverse) through BBBM4 at 2112 against 2070 with 88 days.
@Suite("Basis stress scenarios")
struct BasisStressTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../BacktestTests/Fixtures/futures-roll").standardized.path

    func stress(kinds: String) throws -> [String: Double] {
        let directory = try Fixtures.temporaryDirectory()
        for name in ["prices.csv", "futures.csv"] {
            try FileManager.default.copyItem(
                at: URL(fileURLWithPath: Self.fixture + "/" + name), to: directory.appendingPathComponent(name))
        }
        try "roll_days: 2\nkind:\n\(kinds)".write(
            to: directory.appendingPathComponent("dataset.yaml"), atomically: true, encoding: .utf8)
        let market = try DatasetReader.load(directory: directory.path)
        var request = RiskReport.Request(weights: ["AAA": 0.4, "BBB": 0.3, "CCC": 0.2, "CASH": 0.1], asOfRow: 7)
        request.window = 5
        let file = try RiskReport.make(market, request)
        return Dictionary(uniqueKeysWithValues: file.stress.map { ($0.name, $0.loss) })
    }

    @Test("basis to zero and a -20% a year backwardation, by hand, linear and inverse")
    func byHand() throws {
        let losses = try stress(kinds: "  AAA: future\n  BBB: future\n  CCC: spot\n")
        let collapse = -(0.4 * (106 / 107.7 - 1) + 0.3 * ((1 / 2112.0 - 1 / 2070.0) * 2070))
        let aaa = 106 * (1 - 0.2 * 25 / 365)
        let bbb = 2070 * (1 - 0.2 * 88 / 365)
        let backwardation = -(0.4 * (aaa / 107.7 - 1) + 0.3 * ((1 / 2112.0 - 1 / bbb) * 2070))
        let zero = try #require(losses["futures basis to 0"])
        let shock = try #require(losses["futures basis to -20% a year (backwardation)"])
        #expect(Swift.abs(zero - collapse) <= 1e-14)
        #expect(Swift.abs(shock - backwardation) <= 1e-14)
        #expect(zero > 0 && shock > zero, "both contracts trade above spot: losing the basis costs a long")
    }

    @Test("negative control: held spot, there is no basis scenario")
    func spotHasNone() throws {
        let losses = try stress(kinds: "  AAA: spot\n  BBB: spot\n  CCC: spot\n")
        #expect(!losses.keys.contains { $0.contains("basis") })
    }
}
