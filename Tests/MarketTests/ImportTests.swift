import Foundation
import TestSupport
import Testing

@testable import Market

/// `data import` on small exports in each source's real format; the expected datasets and
/// the rules are in `Fixtures/import` (README.md there).
@Suite("Importers")
struct ImportTests {
    static let cases = [
        "binance-klines", "binance-klines-microseconds", "binance-funding", "coingecko", "yahoo", "databento-futures",
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
        let expectedFiles = try FileManager.default.contentsOfDirectory(atPath: expected.path).filter { $0.hasSuffix(".csv") }
            .sorted()
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
