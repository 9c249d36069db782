import Foundation
import Market
import TestSupport
import Testing

/// The volume lines of `regimen data validate`'s summary: each asset's median dollar volume,
/// and a warning where a period's dollar volume is beyond any market's (1e12), which is what a
/// USD volume read as units of the asset looks like. Datasets from `OhlcvTests`.
@Suite("data validate: volume summary")
struct VolumeSummaryTests {
    static func summary(ohlcv: String? = OhlcvTests.ohlcv, yaml: String? = nil) throws -> String {
        if let ohlcv { return DatasetSummary(try OhlcvTests.load(ohlcv: ohlcv, yaml: yaml)).text(directory: "d") }
        let directory = try Fixtures.temporaryDirectory()
        var files = DatasetFiles()
        files.files["prices.csv"] = OhlcvTests.prices
        try files.write(to: directory)
        return DatasetSummary(try DatasetReader.load(directory: directory.path)).text(directory: "d")
    }

    /// `OhlcvTests.ohlcv` with BTC's volume on 2024-01-02 replaced.
    static func withBTCVolume(_ volume: String) -> String {
        OhlcvTests.ohlcv.replacingOccurrences(
            of: "2024-01-02,BTC,40000,41500,39900,41000,3", with: "2024-01-02,BTC,40000,41500,39900,41000,\(volume)")
    }

    @Test("medians of close * volume per asset, rows without volume left out; nothing to warn about")
    func medians() throws {
        let text = try Self.summary()
        // BTC: 1e5, 1.23e5, 1.72e5 (2024-01-03 empty); ETH: 2e4, 2.625e4.
        #expect(
            text.contains(
                "volume (ohlcv.csv, in units of the asset (volume_unit: base)): median dollar volume per period: BTC 1.23e+05, ETH 2.31e+04"
            ))
        #expect(!text.contains("warning"))
    }

    @Test("a dollar volume beyond 1e12 in a period is named with its asset and date, and the unit suggested")
    func implausible() throws {
        let text = try Self.summary(ohlcv: Self.withBTCVolume("3e8"))
        #expect(
            text.contains(
                "warning: dollar volume beyond any market's in a period (1e+12), first reached: BTC 1.23e+13 on 2024-01-02\n"))
        #expect(text.contains("set volume_unit: quote in dataset.yaml"))
        // Negative control: the same numbers in USD are plausible.
        #expect(!(try Self.summary(ohlcv: Self.withBTCVolume("3e8"), yaml: "volume_unit: quote\n")).contains("warning"))
        let quoted = try Self.summary(ohlcv: Self.withBTCVolume("2e12"), yaml: "volume_unit: quote\n")
        #expect(quoted.contains("first reached: BTC 2e+12 on 2024-01-02\n"))
        #expect(quoted.contains("check ohlcv.csv's volume column"))
    }

    @Test("without ohlcv.csv the summary says there is no volume, so no market impact")
    func absent() throws {
        #expect(try Self.summary(ohlcv: nil).contains("volume: none (no ohlcv.csv: no market impact)"))
    }
}
