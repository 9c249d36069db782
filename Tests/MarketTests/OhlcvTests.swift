import Foundation
import Market
import TestSupport
import Testing

/// `ohlcv.csv` as the market keeps it (contract section 11): each asset's dollar volume per
/// row of `prices.csv`, `close * volume` for volume in units of the asset and `volume` itself
/// with `volume_unit: quote`. The refusals are cases of `Fixtures/bad` (`ValidationTests`).
@Suite("Volume data (ohlcv.csv)")
struct OhlcvTests {
    static let prices = """
        date,BTC,ETH
        2024-01-01,40000,
        2024-01-02,41000,
        2024-01-03,42000,2000
        2024-01-04,43000,2100

        """

    /// Rows 2..: BTC on every day (its 2024-01-03 volume empty), ETH on its two days.
    static let ohlcv = """
        date,asset,open,high,low,close,volume
        2024-01-01,BTC,39000,40500,38800,40000,2.5
        2024-01-02,BTC,40000,41500,39900,41000,3
        2024-01-03,BTC,41000,42500,40900,42000,
        2024-01-03,ETH,1900,2050,1890,2000,10
        2024-01-04,ETH,2000,2150,1990,2100,12.5
        2024-01-04,BTC,42000,43500,41900,43000,4

        """

    /// The dataset of `prices` with `ohlcv` and `yaml` (when given) written beside it.
    static func load(ohlcv: String = OhlcvTests.ohlcv, yaml: String? = nil) throws -> Dataset {
        let directory = try Fixtures.temporaryDirectory()
        var files = DatasetFiles()
        files.files["prices.csv"] = prices
        files.files["ohlcv.csv"] = ohlcv
        files.files["dataset.yaml"] = yaml
        try files.write(to: directory)
        return try DatasetReader.load(directory: directory.path)
    }

    @Test("volume in units of the asset (the default) is worth close * volume; volume_unit: quote takes it as USD")
    func units() throws {
        let base = try Self.load()
        #expect(base.config.volumeUnit == .base)
        #expect(base.dollarVolume(row: 0, asset: 0) == 40000 * 2.5)
        #expect(base.dollarVolume(row: 1, asset: 0) == 41000.0 * 3)
        #expect(base.dollarVolume(row: 3, asset: 0) == 43000.0 * 4)
        #expect(base.dollarVolume(row: 2, asset: 1) == 2000.0 * 10)
        #expect(base.dollarVolume(row: 3, asset: 1) == 2100 * 12.5)
        let quote = try Self.load(yaml: "volume_unit: quote\n")
        #expect(quote.config.volumeUnit == .quote)
        #expect(quote.dollarVolume(row: 0, asset: 0) == 2.5)
        #expect(quote.dollarVolume(row: 3, asset: 1) == 12.5)
        #expect(base.config.impactCoefficient == 1)
        #expect(try Self.load(yaml: "impact_coefficient: 0.7\n").config.impactCoefficient == 0.7)
    }

    @Test("an empty volume cell, and a day without a row, have no dollar volume")
    func missing() throws {
        let market = try Self.load()
        #expect(market.dollarVolume(row: 2, asset: 0) == nil)
        #expect(market.dollarVolume(row: 0, asset: 1) == nil)
        #expect(market.dollarVolume(row: 1, asset: 1) == nil)
        #expect(try Self.load(yaml: "volume_unit: quote\n").dollarVolume(row: 2, asset: 0) == nil)
        let none = try DatasetReader.load(directory: Fixtures.url("good/crlf").path)
        #expect(none.dollarVolumes == nil)
        #expect(none.dollarVolume(row: 0, asset: 0) == nil)
    }

    @Test("without a close column the file loads with volume_unit: quote, and is refused in units of the asset")
    func closeColumn() throws {
        let noClose =
            Self.ohlcv.split(separator: "\n").map { line in
                line.split(separator: ",", omittingEmptySubsequences: false).enumerated().filter { $0.offset != 5 }
                    .map(\.element).joined(separator: ",")
            }.joined(separator: "\n") + "\n"
        let quote = try Self.load(ohlcv: noClose, yaml: "volume_unit: quote\n")
        #expect(quote.dollarVolume(row: 1, asset: 0) == 3)
        let error = #expect(throws: DatasetError.self) { try Self.load(ohlcv: noClose) }
        #expect(error?.slug == "missing-column")
    }

    @Test("a view through a row keeps the volumes of the rows up to it")
    func truncation() throws {
        let market = try Self.load()
        let view = market.truncated(throughRow: 2)
        #expect(view.dollarVolumes?.count == 3 * 2)
        #expect(view.dollarVolume(row: 1, asset: 0) == 41000.0 * 3)
        #expect(view.dollarVolume(row: 2, asset: 1) == 2000.0 * 10)
        #expect(view.dollarVolume(row: 2, asset: 0) == nil)
        #expect(market.truncated(throughRow: 0).dollarVolumes?.count == 2)
    }
}
