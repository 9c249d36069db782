import Foundation
import Market
import TestSupport
import Testing

/// `futures.csv` and the rolled front contract (contract sections 1 and 7) on a dataset small
/// enough to check by hand: BTC (linear) rolls from BTCH4 to BTCJ4 at the close of
/// 2024-03-27 (`roll_days: 2`; 29 - 27 = 2 is not more than 2) and BTCJ4 has no row on
/// 2024-03-28 (a stale close); ETH is an inverse contract held throughout.
@Suite("Dated futures data")
struct FuturesDataTests {
    static let prices = """
        date,BTC,ETH
        2024-03-25,100,50
        2024-03-26,102,51
        2024-03-27,104,52
        2024-03-28,103,50
        2024-03-29,105,51
        2024-03-30,106,52
        2024-03-31,108,53

        """
    /// Line numbers in comments: the cases below edit these lines.
    static let futures = [
        "date,asset,contract,expiry,close,volume,settlement",  // 1
        "2024-03-25,BTC,BTCH4,2024-03-29,101,5,linear",  // 2
        "2024-03-25,BTC,BTCJ4,2024-04-26,102,3,linear",  // 3
        "2024-03-26,BTC,BTCH4,2024-03-29,103,5,linear",  // 4
        "2024-03-26,BTC,BTCJ4,2024-04-26,104,3,linear",  // 5
        "2024-03-27,BTC,BTCJ4,2024-04-26,105,3,linear",  // 6
        "2024-03-29,BTC,BTCJ4,2024-04-26,106,3,linear",  // 7
        "2024-03-30,BTC,BTCJ4,2024-04-26,107,3,linear",  // 8
        "2024-03-25,ETH,ETHM4,2024-06-28,51,1,inverse",  // 9
        "2024-03-28,ETH,ETHM4,2024-06-28,52,1,inverse",  // 10
    ]
    static let config = "kind:\n  BTC: future\n  ETH: future\nroll_days: 2\n"

    static func directory(futures: [String] = futures, config: String = config) throws -> URL {
        let directory = try Fixtures.temporaryDirectory()
        try prices.write(to: directory.appendingPathComponent("prices.csv"), atomically: true, encoding: .utf8)
        try (futures.joined(separator: "\n") + "\n").write(
            to: directory.appendingPathComponent("futures.csv"), atomically: true, encoding: .utf8)
        try config.write(to: directory.appendingPathComponent("dataset.yaml"), atomically: true, encoding: .utf8)
        return directory
    }

    static func replacing(_ line: Int, with text: String) -> [String] {
        var lines = futures
        lines[line - 1] = text
        return lines
    }

    @Test("the held contract, the rolls and the value held through the rolled contract, by hand")
    func rolledValue() throws {
        let market = try DatasetReader.load(directory: Self.directory().path)
        let btc = try #require(market.futuresChain(of: "BTC"))
        #expect((0..<7).map { btc.heldContract(atRow: $0)?.name } == ["BTCH4", "BTCH4"] + Array(repeating: "BTCJ4", count: 5))
        #expect((0..<7).map { market.rolls(atRow: $0) } == (0..<7).map { [$0 == 2, false] })
        // BTC: 101 at listing; BTCH4 103/101 on 03-26; BTCH4 stale (no row on 03-27) so 0 on
        // 03-27; then BTCJ4: 105 -> 105 (stale on 03-28), 106 on 03-29, 107 on 03-30, stale on 03-31.
        let btcValues: [Double] = [101, 103, 103, 103, 103 * 106 / 105, 103 * 107 / 105, 103 * 107 / 105]
        // ETH inverse: (1/51 - 1/52) * S coins per USD on 03-28, valued at that day's close 50.
        let ethStep = 1 + (1.0 / 51 - 1.0 / 52) * 50
        let ethValues: [Double] = [51, 51, 51, 51 * ethStep, 51 * ethStep, 51 * ethStep, 51 * ethStep]
        for row in 0..<7 {
            #expect(try Swift.abs(#require(market.price(row: row, asset: 0)) - btcValues[row]) <= 1e-12 * btcValues[row])
            #expect(try Swift.abs(#require(market.price(row: row, asset: 1)) - ethValues[row]) <= 1e-12 * ethValues[row])
        }
        // The spot closes stay available for the features and inverse settlement.
        #expect(market.spotClose(row: 3, asset: 0) == 103)
        #expect(market.spotClose(row: 3, asset: 1) == 50)
        // A view at a row knows only the closes up to that row.
        let early = market.truncated(throughRow: 2).futuresChain(of: "BTC")!
        #expect(early.contracts.allSatisfy { $0.rows.allSatisfy { $0 <= 2 } })
        #expect(early.heldContract(atRow: 2)?.name == "BTCJ4")
    }

    @Test("traded weight counts both legs of a roll, also when the schedule does not trade")
    func rollLegs() throws {
        let market = try DatasetReader.load(directory: Self.directory().path)
        #expect(market.tradedWeight(from: [0.25, 0.5], to: [0.5, 0.5], atRow: 1) == 0.25)
        #expect(market.tradedWeight(from: [0.25, 0.5], to: [0.5, 0.5], atRow: 2) == 0.75)
        #expect(market.tradedWeight(from: [0.25, 0.5], to: [0.25, 0.5], atRow: 2) == 0.5)
    }

    @Test("a spot dataset without futures is unchanged: no chains, no rolls")
    func negativeControl() throws {
        let directory = try Self.directory(config: "kind:\n  BTC: spot\n  ETH: spot\n")
        let market = try DatasetReader.load(directory: directory.path)
        #expect(market.price(row: 3, asset: 0) == 103)
        #expect(market.futures.count == 2)
        #expect((0..<7).allSatisfy { market.rolls(atRow: $0) == [false, false] })
        #expect(market.tradedWeight(from: [0.25, 0.5], to: [0.5, 0.5], atRow: 2) == 0.25)
    }

    /// Each case breaks one rule: `futures.csv` lines, `dataset.yaml`, the place, the slug.
    static let badCases: [(name: String, futures: [String], config: String, place: String, slug: String)] = [
        (
            "unknown underlying", replacing(2, with: "2024-03-25,XRP,BTCH4,2024-03-29,101,5,linear"), config, "futures.csv:2:2",
            "unknown-asset"
        ),
        (
            "row after expiry", futures + ["2024-03-30,BTC,BTCH4,2024-03-29,100,1,linear"], config, "futures.csv:11:1",
            "row-after-expiry"
        ),
        (
            "expiry changes", replacing(4, with: "2024-03-26,BTC,BTCH4,2024-03-28,103,5,linear"), config, "futures.csv:4:4",
            "expiry-changed"
        ),
        (
            "duplicate date in a contract", replacing(4, with: "2024-03-25,BTC,BTCH4,2024-03-29,103,5,linear"), config,
            "futures.csv:4:1", "duplicate-contract-date"
        ),
        (
            "unsorted dates in a contract", replacing(4, with: "2024-03-24,BTC,BTCH4,2024-03-29,103,5,linear"), config,
            "futures.csv:4:1", "unsorted-contract-date"
        ),
        (
            "non-positive close", replacing(3, with: "2024-03-25,BTC,BTCJ4,2024-04-26,-5,3,linear"), config, "futures.csv:3:5",
            "non-positive-price"
        ),
        (
            "NaN close", replacing(3, with: "2024-03-25,BTC,BTCJ4,2024-04-26,NaN,3,linear"), config, "futures.csv:3:5",
            "not-finite"
        ),
        (
            "huge close", replacing(3, with: "2024-03-25,BTC,BTCJ4,2024-04-26,1e300,3,linear"), config, "futures.csv:3:5",
            "price-out-of-range"
        ),
        (
            "unknown settlement", replacing(9, with: "2024-03-25,ETH,ETHM4,2024-06-28,51,1,quanto"), config, "futures.csv:9:7",
            "unknown-settlement"
        ),
        (
            "settlement changes", replacing(10, with: "2024-03-28,ETH,ETHM4,2024-06-28,52,1,linear"), config, "futures.csv:10:7",
            "settlement-changed"
        ),
        (
            "unknown column", replacing(1, with: "date,asset,contract,expiry,close,volume,setlement"), config, "futures.csv:1:7",
            "unknown-column"
        ),
        (
            "missing column", futures.map { $0.replacingOccurrences(of: ",expiry", with: ",expiri") }, config, "futures.csv:1:",
            "missing-column"
        ),
        ("ragged row", replacing(3, with: "2024-03-25,BTC,BTCJ4,2024-04-26,102,3"), config, "futures.csv:3:7", "ragged-row"),
        (
            "empty contract", replacing(2, with: "2024-03-25,BTC,,2024-03-29,101,5,linear"), config, "futures.csv:2:3",
            "empty-field"
        ),
        (
            "negative volume", replacing(2, with: "2024-03-25,BTC,BTCH4,2024-03-29,101,-5,linear"), config, "futures.csv:2:6",
            "invalid-field"
        ),
        (
            "bad expiry", replacing(2, with: "2024-03-25,BTC,BTCH4,29/03/2024,101,5,linear"), config, "futures.csv:2:4",
            "unparsable-date"
        ),
        ("a future without contracts", Array(futures[0..<8]), config, "dataset.yaml:", "invalid-kind"),
        (
            "no contract to roll into", [futures[0], futures[1], futures[3], futures[8], futures[9]], config, "futures.csv:",
            "no-qualifying-contract"
        ),
        ("roll_days out of range", futures, "kind:\n  BTC: future\nroll_days: 400\n", "dataset.yaml:3:12", "invalid-value"),
        (
            "roll_days for an unknown asset", futures, "kind:\n  BTC: future\nroll_days:\n  XRP: 3\n", "dataset.yaml:",
            "unknown-asset"
        ),
        ("kind misspelt", futures, "kind:\n  BTC: futures\n", "dataset.yaml:2:8", "invalid-kind"),
    ]

    @Test("a bad futures file or setting is refused at its place with its rule", arguments: badCases.indices)
    func refused(_ index: Int) throws {
        let bad = Self.badCases[index]
        let directory = try Self.directory(futures: bad.futures, config: bad.config)
        let (dataset, problems) = DatasetReader.validate(directory: directory.path)
        #expect(dataset == nil, "\(bad.name)")
        let first = try #require(problems.first, "\(bad.name): accepted")
        #expect(first.slug == bad.slug, "\(bad.name): \(first)")
        #expect(first.description.contains("/" + bad.place), "\(bad.name): \(first)")
        #expect(first.exitStatus == 65)
    }

    @Test("the synthetic market's futures load, roll monthly on the last Friday, and leave the other files unchanged")
    func synthetic() throws {
        let plain = SyntheticMarket(assets: 6, periods: 400, seed: 3)
        let withFutures = SyntheticMarket(assets: 6, periods: 400, seed: 3, futures: 2)
        for name in ["prices.csv", "funding.csv", "features.csv", "regimes.csv", "ohlcv.csv"] {
            #expect(plain.files.files[name] == withFutures.files.files[name], "\(name)")
        }
        #expect(SyntheticMarket(assets: 6, periods: 400, seed: 3, futures: 2).files == withFutures.files)
        let directory = try Fixtures.temporaryDirectory()
        try withFutures.files.write(to: directory)
        let market = try DatasetReader.load(directory: directory.path)
        #expect(market.assets.map { market.kind(of: $0) } == [.perp, .perp, .perp, .spot, .future, .future])
        let chain = try #require(market.futuresChain(of: "SYN6"))
        #expect(chain.contracts.allSatisfy { $0.expiry.weekday == 4 })
        let rolls = (0..<market.rowCount).filter { chain.rolls(atRow: $0) }
        #expect(rolls.count >= 6)
        for row in rolls {
            let previous = chain.heldContract(atRow: row - 1)!
            #expect(FuturesChain.daysToExpiry(previous, from: market.dates[row]) <= Double(chain.rollDays))
        }
    }
}
