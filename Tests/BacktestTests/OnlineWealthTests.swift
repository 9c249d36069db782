import Backtest
import Baselines
import Foundation
import Market
import TestSupport
import Testing

/// Online portfolio selection in the simulator, fee 0, on real data (BTC, ETH, XRP, LTC, ADA
/// from 2018), against the reference of `Fixtures/olps-wealth-expected.json` (contract
/// definitions, cross-checked with universal-portfolios). Skipped when
/// `../shared/data/crypto-daily` is absent: only the derived numbers are committed.
@Suite("Online rules' wealth on real data")
struct OnlineWealthTests {
    static let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../shared/data/crypto-daily/prices.csv").standardized
    static let present = FileManager.default.fileExists(atPath: source.path)

    struct Expected: Decodable {
        struct Strategy: Decodable { let final_wealth: Double }
        let assets: [String]
        let first_price_date: String
        let last_return_date: String
        let strategies: [String: Strategy]
    }

    /// The five columns from the first price date on, as a prices-only dataset.
    static func extract(_ expected: Expected) throws -> Dataset {
        let table = try CSVTable(parsing: String(contentsOf: source, encoding: .utf8))
        let header = table.records[0].fields
        let columns = expected.assets.map { header.firstIndex(of: $0)! }
        var text = "date," + expected.assets.joined(separator: ",") + "\n"
        for record in table.records.dropFirst()
        where record.fields[0] >= expected.first_price_date && record.fields[0] <= expected.last_return_date {
            text += record.fields[0] + "," + columns.map { record.fields[$0] }.joined(separator: ",") + "\n"
        }
        let directory = try Fixtures.temporaryDirectory()
        try text.write(to: directory.appendingPathComponent("prices.csv"), atomically: true, encoding: .utf8)
        return try DatasetReader.load(directory: directory.path)
    }

    @Test(
        "final wealth with fee 0 matches the reference",
        .enabled(if: present, "../shared/data/crypto-daily is absent (it is not shipped with the project)"),
        arguments: [
            BaselineName.constantRebalanced, .buyAndHold, .bestConstantRebalanced, .exponentiatedGradient, .onlineNewtonStep,
            .olmar, .pamr, .anticor,
        ])
    func wealth(_ rule: BaselineName) throws {
        let expected = try JSONDecoder().decode(Expected.self, from: Data(contentsOf: Fixtures.url("olps-wealth-expected.json")))
        let market = try Self.extract(expected)
        var settings = BacktestSettings()
        settings.firstReturnRow = 1
        let result = try Simulator.run(Baseline(rule), on: market, settings: settings)
        #expect(result.periods.last?.date.description == expected.last_return_date)
        let reference = try #require(expected.strategies[rule.rawValue]).final_wealth
        let actual = result.periods.last!.wealth
        #expect(Swift.abs(actual - reference) <= 1e-9 * reference, "\(rule.rawValue): \(actual) vs \(reference)")
    }
}
