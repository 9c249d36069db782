import Foundation
import TestSupport
import Testing

@testable import Market

/// `data import` on small exports in each source's real format; the expected datasets and
/// the rules are in `Fixtures/import` (README.md there).
@Suite("Importers")
struct ImportTests {
    static let cases = [
        "binance-klines", "binance-klines-microseconds", "binance-funding", "coingecko", "yahoo", "yfinance", "yfinance-download",
        "ccxt", "databento-futures",
    ]

    @Test("each export converts to exactly the expected files", arguments: cases)
    func converts(_ name: String) throws {
        let root = Fixtures.url("import")
        let expected = root.appendingPathComponent("expected").appendingPathComponent(name)
        let arguments = try String(contentsOf: expected.appendingPathComponent("args.txt"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        var format: ImportFormat?
        var funding: [String] = []
        var inputs: [String] = []
        var index = 0
        while index < arguments.count {
            switch arguments[index] {
            case "--format":
                format = ImportFormat(rawValue: arguments[index + 1])
                index += 2
            case "--funding":
                funding.append(root.appendingPathComponent(arguments[index + 1]).path)
                index += 2
            default:
                inputs.append(root.appendingPathComponent(arguments[index]).path)
                index += 1
            }
        }
        let result = try PriceImporter.run(format: try #require(format), priceInputs: inputs, fundingInputs: funding)
        let expectedFiles = try FileManager.default.contentsOfDirectory(atPath: expected.path)
            .filter { $0.hasSuffix(".csv") || $0.hasSuffix(".yaml") }.sorted()
        #expect(result.files.files.keys.sorted() == expectedFiles)
        for file in expectedFiles {
            let text = try String(contentsOf: expected.appendingPathComponent(file), encoding: .utf8)
            #expect(result.files.files[file] == text, "\(name)/\(file)")
        }
    }

    @Test("the Yahoo null day is skipped with a warning and left as a gap that validation reports")
    func yahooGap() throws {
        let root = Fixtures.url("import/yahoo")
        let result = try PriceImporter.run(format: .yahoo, priceInputs: [root.path], fundingInputs: [])
        #expect(result.warnings.count == 1)
        let directory = try Fixtures.temporaryDirectory()
        try result.files.write(to: directory)
        let problems = DatasetReader.validate(directory: directory.path).problems
        #expect(problems.map(\.slug) == ["gap-after-listing"])
        #expect(problems.first?.description.contains("prices.csv:6:2") == true)
    }

    @Test("a bad close is rejected at its place")
    func badNumber() throws {
        let directory = try Fixtures.temporaryDirectory()
        let file = directory.appendingPathComponent("BTCUSDT-1d-2024-01.csv")
        try "1704067200000,1,2,0.5,1.5,9,1704153599999,1,1,1,1,0\n1704153600000,1,2,0.5,-3,9,1704239999999,1,1,1,1,0\n"
            .write(to: file, atomically: true, encoding: .utf8)
        let error = #expect(throws: DatasetError.self) {
            try PriceImporter.run(format: .binanceKlines, priceInputs: [file.path], fundingInputs: [])
        }
        #expect(
            error?.description == "\(file.path):2:5: price must be positive; found -3 for BTC on 2024-01-02 [non-positive-price]")
    }

    @Test("a kline that is not at midnight, and a file of another interval, are refused")
    func notDaily() throws {
        let directory = try Fixtures.temporaryDirectory()
        let hourly = directory.appendingPathComponent("BTCUSDT-1h-2024-01.csv")
        try "1704067200000,1,2,0.5,1.5,9,1704070799999,1,1,1,1,0\n".write(to: hourly, atomically: true, encoding: .utf8)
        let nameError = #expect(throws: DatasetError.self) {
            try PriceImporter.run(format: .binanceKlines, priceInputs: [hourly.path], fundingInputs: [])
        }
        #expect(nameError?.slug == "unrecognised-file-name")
        let shifted = directory.appendingPathComponent("ETHUSDT-1d-2024-01.csv")
        try "1704070800000,1,2,0.5,1.5,9,1704157199999,1,1,1,1,0\n".write(to: shifted, atomically: true, encoding: .utf8)
        let timeError = #expect(throws: DatasetError.self) {
            try PriceImporter.run(format: .binanceKlines, priceInputs: [shifted.path], fundingInputs: [])
        }
        #expect(timeError?.slug == "not-daily")
    }

    static let databentoRefusals: [(row: String, place: String, slug: String)] = [
        ("2022-04-27T00:00:00.000000000Z,35,1,1,1,1,1,1,1,XYZM2", ":2:10", "invalid-field"),
        ("2022-04-27T00:00:00.000000000Z,35,1,1,1,1,1,1,1,MBT", ":2:10", "invalid-field"),
        ("2022-04-27T14:00:00.000000000Z,35,1,1,1,1,1,1,1,MBTM2", ":2:1", "not-daily"),
        ("2022-04-27T00:00:00.000000000Z,35,1,1,1,1,1,-4,1,MBTM2", ":2:8", "non-positive-price"),
        ("2022-04-27T00:00:00.000000000Z,35,1,1,1,1,1,nan,1,MBTM2", ":2:8", "unparsable-number"),
        ("2022-04-27T00:00:00.000000000Z,35,1,1,1,1,1,5,-1,MBTM2", ":2:9", "invalid-field"),
        ("2022-04-27T00:00:00.000000000Z,35,1,1,1,1,1,5,1", ":2:10", "ragged-row"),
        (
            "2022-04-27T00:00:00.000000000Z,35,1,1,1,1,1,5,1,MBTM2\n2022-04-27T00:00:00.000000000Z,35,1,1,1,1,1,6,1,MBTM2",
            ":3:1",
            "duplicate-contract-date"
        ),
    ]

    @Test("a bad Databento bar is refused at its place, and nothing is written", arguments: databentoRefusals.indices)
    func databentoRefused(_ index: Int) throws {
        let bad = Self.databentoRefusals[index]
        let file = try Fixtures.temporaryDirectory().appendingPathComponent("bars.csv")
        try (FuturesImporter.header + "\n" + bad.row + "\n").write(to: file, atomically: true, encoding: .utf8)
        let error = #expect(throws: DatasetError.self) {
            try PriceImporter.run(format: .databentoFutures, priceInputs: [file.path], fundingInputs: [])
        }
        #expect(error?.slug == bad.slug, "\(bad.row): \(String(describing: error))")
        #expect(error?.description.contains(file.path + bad.place) == true, "\(String(describing: error))")
    }

    static let priceRefusals: [(format: ImportFormat, name: String, text: String, place: String, slug: String)] = [
        (
            .yahoo, "BTC-USD.csv", "Date,Open,High,Low,Close,Volume\n2024-01-01 13:00:00+00:00,1,2,0.5,1.5,9\n", ":2:1",
            "not-daily"
        ),
        (.yahoo, "BTC-USD.csv", "date,open,close\n2024-01-01,1\n", ":2:3", "ragged-row"),
        (.yahoo, "BTC-USD.csv", "Day,Open,Close\n2024-01-01,1,2\n", ":1:1", "unexpected-header"),
        (.yahoo, "BTC-USD.csv", "Date,Open,High,Low,Close,Volume\n01/02/2024,1,2,0.5,1.5,9\n", ":2:1", "unparsable-date"),
        (.yahoo, "x.csv", "Price,Close,Open\nTicker,BTC-USD,BTC-USD\nDate,,\n2024-01-01,-2,1\n", ":4:2", "non-positive-price"),
        (.yahoo, "x.csv", "Price,Open\nTicker,BTC-USD\nDate,\n2024-01-01,1\n", ":1:1", "unexpected-header"),
        (.yahoo, "BTC-USD.csv", "Date,Open,High,Low,Close,Volume\n2024-01-01,1,2,0.5,1.5,-9\n", ":2:6", "invalid-field"),
        (.yahoo, "BTC-USD.csv", "Date,Open,High,Low,Close,Volume\n2024-01-01,1,2,0.5,1.5,nan\n", ":2:6", "not-finite"),
        (.yahoo, "BTC-USD.csv", "Date,Open,High,Low,Close,Volume\n2024-01-01,1,abc,0.5,1.5,9\n", ":2:3", "unparsable-number"),
        (
            .yahoo, "SPY.csv", "Date,Open,High,Low,Close,Adj Close,Volume\n2024-01-01,1,2,0.5,0,1.5,9\n", ":2:5",
            "non-positive-price"
        ),
        (.ccxt, "BTC_USDT-1d.csv", "timestamp,open,high,low,close,volume\n1704070800000,1,2,0.5,1.5,9\n", ":2:1", "not-daily"),
        (
            .ccxt, "BTC_USDT-1d.csv", "timestamp,open,high,low,close,volume\n1704067200000,1,2,0.5,abc,9\n", ":2:5",
            "unparsable-number"
        ),
        (.ccxt, "BTC_USDT-1d.csv", "1704067200000,1,2,0.5,1.5\n", ":1:6", "ragged-row"),
        (.ccxt, "BTC_USDT-1d.csv", "time_ms,o,h,l,c,v\n1704067200000,1,2,0.5,1.5,9\n", ":1:1", "unexpected-header"),
        (.ccxt, "BTC_USDT-1d.csv", "1704067200000,1,2,0.5,1.5,9\n1704067200000,1,2,0.5,1.5,9\n", ":2:1", "duplicate-date"),
        (.ccxt, "BTC_USDT-1d.csv", "1704067200000,1,2,0.5,1.5,-9\n", ":1:6", "invalid-field"),
        (
            .ccxt, "BTC_USDT-1d.csv", "timestamp,open,high,low,close,volume\n1704067200000,1,x,0.5,1.5,9\n", ":2:3",
            "unparsable-number"
        ),
        (
            .binanceKlines, "BTCUSDT-1d-2024-01.csv", "1704067200000,1,2,0.5,1.5,2e18,1704153599999,1,1,1,1,0\n", ":1:6",
            "invalid-field"
        ),
    ]

    @Test(
        "inputs without a price row (an empty folder, headers only, only calendar spreads) are refused, nothing imported",
        arguments: [
            (ImportFormat.ccxt, nil, nil), (.ccxt, "BTC_USDT-1d.csv", "timestamp,open,high,low,close,volume\n"),
            (.binanceKlines, "BTCUSDT-1d-2024-01.csv", "open_time,open,high,low,close,volume,a,b,c,d,e,f\n"),
            (
                .databentoFutures, "bars.csv",
                "ts_event,rtype,publisher_id,instrument_id,open,high,low,close,volume,symbol\n"
                    + "2022-04-01T00:00:00.000000000Z,35,1,1,1,1,1,1,1,MBTJ2-MBTK2\n"
            ),
        ] as [(ImportFormat, String?, String?)])
    func nothingToImport(format: ImportFormat, name: String?, text: String?) throws {
        let folder = try Fixtures.temporaryDirectory()
        if let name, let text { try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        let error = #expect(throws: DatasetError.self) {
            try PriceImporter.run(format: format, priceInputs: [folder.path], fundingInputs: [])
        }
        #expect(error?.slug == "nothing-to-import", "\(String(describing: error))")
    }

    @Test("a bad yfinance, CCXT or Binance row is refused naming file, line, column and rule", arguments: priceRefusals.indices)
    func priceRefused(_ index: Int) throws {
        let bad = Self.priceRefusals[index]
        let file = try Fixtures.temporaryDirectory().appendingPathComponent(bad.name)
        try bad.text.write(to: file, atomically: true, encoding: .utf8)
        let error = #expect(throws: DatasetError.self) {
            try PriceImporter.run(format: bad.format, priceInputs: [file.path], fundingInputs: [])
        }
        #expect(error?.slug == bad.slug, "\(bad.text): \(String(describing: error))")
        #expect(error?.description.contains(file.path + bad.place) == true, "\(String(describing: error))")
    }

    @Test("Yahoo bars: a pair's volume is in its quote currency, a stock's in shares; both in one import write no ohlcv.csv")
    func yahooBars() throws {
        let root = Fixtures.url("import")
        let pairs = try PriceImporter.run(
            format: .yahoo, priceInputs: [root.appendingPathComponent("yfinance").path], fundingInputs: [])
        let directory = try Fixtures.temporaryDirectory()
        try pairs.files.write(to: directory.appendingPathComponent("pairs"))
        let market = try DatasetReader.load(directory: directory.appendingPathComponent("pairs").path)
        #expect(market.config.volumeUnit == .quote)
        #expect(market.dollarVolume(row: 0, asset: 0) == 18_426_978_443)
        #expect(market.dollarVolume(row: 0, asset: 1) == nil)
        let stock = directory.appendingPathComponent("SPY.csv")
        try
            "Date,Open,High,Low,Close,Adj Close,Volume\n2024-01-02,472.16,473.67,470.49,472.65,466.7,123623700\n2024-01-03,470.43,471.19,468.17,468.79,462.89,null\n"
            .write(to: stock, atomically: true, encoding: .utf8)
        let shares = try PriceImporter.run(format: .yahoo, priceInputs: [stock.path], fundingInputs: [])
        #expect(shares.files.files["dataset.yaml"] == nil)
        #expect(shares.files.files["ohlcv.csv"]?.hasSuffix("2024-01-03,SPY,470.43,471.19,468.17,468.79,\n") == true)
        try shares.files.write(to: directory.appendingPathComponent("shares"))
        let spy = try DatasetReader.load(directory: directory.appendingPathComponent("shares").path)
        #expect(spy.config.volumeUnit == .base)
        #expect(spy.dollarVolume(row: 0, asset: 0) == 472.65 * 123_623_700)
        #expect(spy.dollarVolume(row: 1, asset: 0) == nil)
        let mixed = try PriceImporter.run(
            format: .yahoo, priceInputs: [stock.path, root.appendingPathComponent("yfinance/BTC-USD.csv").path],
            fundingInputs: [])
        #expect(mixed.files.files.keys.sorted() == ["prices.csv"])
        #expect(mixed.warnings.contains { $0.hasPrefix("ohlcv.csv not written: the volumes of BTC are in their quote currency") })
        let closesOnly = directory.appendingPathComponent("ETH-USD.csv")
        try "Date,Close\n2024-01-02,2350.5\n".write(to: closesOnly, atomically: true, encoding: .utf8)
        let noVolume = try PriceImporter.run(format: .yahoo, priceInputs: [closesOnly.path], fundingInputs: [])
        #expect(noVolume.files.files.keys.sorted() == ["prices.csv"])
    }

    @Test("an existing dataset.yaml gains volume_unit: quote unless it sets a volume unit itself")
    func existingConfig() {
        #expect(PriceImporter.volumeUnit(quoteAddedTo: "") == ("volume_unit: quote\n", nil))
        #expect(PriceImporter.volumeUnit(quoteAddedTo: "fee_bps: 10") == ("fee_bps: 10\nvolume_unit: quote\n", nil))
        #expect(PriceImporter.volumeUnit(quoteAddedTo: "volume_unit: quote  # USD\n") == ("volume_unit: quote  # USD\n", nil))
        let base = PriceImporter.volumeUnit(quoteAddedTo: "fee_bps: 10\nvolume_unit: base\n")
        #expect(base.text == "fee_bps: 10\nvolume_unit: base\n")
        #expect(
            base.warning
                == "dataset.yaml keeps its volume_unit: base; the imported volume is in the quote currency (volume_unit: quote)")
    }

    @Test("yfinance and CCXT names and times: the asset from the file or ticker, a midnight at any offset")
    func yfinanceAndCCXTNames() throws {
        #expect(PriceImporter.yahooAsset("BTC-USD_1d") == "BTC")
        #expect(PriceImporter.yahooAsset("BRK-B") == "BRK-B")
        #expect(PriceImporter.ccxtAsset("BTC_USDT-1d.csv") == "BTC")
        #expect(PriceImporter.ccxtAsset("ETHUSDT_1d.csv") == "ETH")
        #expect(PriceImporter.ccxtAsset("SOL-USDT.csv") == "SOL")
        let day = try PriceImporter.dailyDate("2024-01-02 00:00:00-05:00", file: "f", line: 2, column: 1)
        #expect(day == Timestamp(year: 2024, month: 1, day: 2).dayNumber)
        #expect(try PriceImporter.ccxtDay("2024-01-02T00:00:00.000Z", file: "f", line: 2, column: 1) == day)
        #expect(PriceImporter.timeIsMidnight(Array(" 00:00:00.5Z".utf8)) == false)
        #expect(PriceImporter.timeIsMidnight(Array("T00:00:00+0000".utf8)) == true)
        #expect(PriceImporter.timeIsMidnight(Array(" 00:00".utf8)) == nil)
    }

    @Test("symbols: the root before the month code and the year digits")
    func databentoSymbols() {
        #expect(FuturesImporter.root(of: "MBTZ1") == "MBT")
        #expect(FuturesImporter.root(of: "METH22") == "MET")
        #expect(FuturesImporter.root(of: "MBTA1") == nil)
        #expect(FuturesImporter.root(of: "Z1") == nil)
        #expect(FuturesImporter.root(of: "MBTZ123") == nil)
        #expect(FuturesImporter.withoutTrailingZeros("4200.500000000") == "4200.5")
        #expect(FuturesImporter.withoutTrailingZeros("12.000") == "12")
        #expect(FuturesImporter.withoutTrailingZeros("1200") == "1200")
    }

    @Test("base assets drop the quote currency")
    func baseAssets() {
        #expect(PriceImporter.baseAsset(of: "BTCUSDT") == "BTC")
        #expect(PriceImporter.baseAsset(of: "ETHFDUSD") == "ETH")
        #expect(PriceImporter.baseAsset(of: "ETHBTC") == "ETHBTC")
        #expect(PriceImporter.baseAsset(of: "USDT") == "USDT")
    }
}
