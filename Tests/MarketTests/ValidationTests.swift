import Foundation
import Market
import TestSupport
import Testing

/// Each bad dataset of `Fixtures/bad/CASE` breaks one rule; its `expected.txt` names the
/// place (`FILE:LINE:COLUMN`) and the rule. Each of `Fixtures/good/CASE` must load.
@Suite("Dataset validation")
struct ValidationTests {
    static let badCases: [String] = {
        let folder = Fixtures.url("bad")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { !$0.hasSuffix(".md") }.sorted()
    }()

    @Test("the bad fixtures are all there")
    func coverage() {
        #expect(Self.badCases.count >= 20)
    }

    @Test("a bad dataset is rejected at the expected place with the expected rule", arguments: badCases)
    func badDataset(_ name: String) throws {
        let directory = Fixtures.url("bad").appendingPathComponent(name)
        let expected = try String(contentsOf: directory.appendingPathComponent("expected.txt"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\t").map(String.init)
        let (dataset, problems) = DatasetReader.validate(directory: directory.path)
        #expect(dataset == nil)
        let first = try #require(problems.first, "\(name): no problem reported")
        #expect(problems.count == 1, "\(name): \(problems.map(\.description))")
        #expect(first.slug == expected[1], "\(name): \(first)")
        if first.rule == .missingFile {
            #expect(first.file.hasSuffix("/prices.csv"))
        } else {
            #expect(first.description.contains("/" + expected[0] + ":"), "\(name): \(first) does not name \(expected[0])")
        }
        // The loader used by other commands stops at the same first problem.
        let error = #expect(throws: DatasetError.self) { try DatasetReader.load(directory: directory.path) }
        #expect(error == first)
    }

    @Test(
        "pinned messages for a user",
        arguments: [
            ("non-positive", "prices.csv:7:3: price must be positive; found -1.5 for ETH on 2024-01-06 [non-positive-price]"),
            (
                "gap-after-listing",
                "prices.csv:6:3: missing price for ETH on 2024-01-05 after its first price on 2024-01-03 (a gap after listing) [gap-after-listing]"
            ),
            (
                "thousands-separator",
                "prices.csv:5:2: not a number: '42,845.23' (thousands separators are not allowed; write 42845.23) [unparsable-number]"
            ),
            (
                "other-date-format",
                "prices.csv:4:1: date must be YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (UTC); found '01/03/2024' [unparsable-date]"
            ),
            (
                "bad-yaml-key",
                "dataset.yaml:2:1: unknown key 'periods_per_yr'; valid keys: periods_per_year, cash, fee_bps, kind, roll_days, instrument, carry_window, implied_vol, volume_unit, impact_coefficient [unknown-key]"
            ),
            ("unknown-asset-in-funding", "funding.csv:1:3: unknown asset 'XRP': not a column of prices.csv [unknown-asset]"),
            ("duplicated-asset-column", "prices.csv:1:3: column 'BTC' appears more than once [duplicate-column]"),
            (
                "ohlcv-duplicate-asset-date",
                "ohlcv.csv:7:1: BTC has two rows on 2024-01-04; one row per asset per date [duplicate-asset-date]"
            ),
            ("ohlcv-negative-volume", "ohlcv.csv:10:7: volume must be from 0 to 1e18; found '-5' [invalid-field]"),
            ("ohlcv-missing-close-column", "ohlcv.csv:1: the column 'close' is required [missing-column]"),
            (
                "bad-volume-unit",
                "dataset.yaml:2:14: volume_unit: must be base (volume in units of the asset) or quote (volume in USD); found 'usd' [invalid-value]"
            ),
        ])
    func messages(_ pinned: (String, String)) throws {
        let directory = Fixtures.url("bad").appendingPathComponent(pinned.0)
        let problems = DatasetReader.validate(directory: directory.path).problems
        let message = try #require(problems.first).description
        #expect(message == directory.path + "/" + pinned.1)
    }

    @Test(
        "accepted variants load as the plain dataset",
        arguments: ["bom", "crlf", "trailing-empty-line", "quoted-fields", "long-decimals"])
    func goodDataset(_ name: String) throws {
        let dataset = try DatasetReader.load(directory: Fixtures.url("good").appendingPathComponent(name).path)
        #expect(dataset.assets == ["BTC", "ETH"])
        #expect(dataset.rowCount == 6)
        #expect(dataset.dates.first?.description == "2024-01-01")
        #expect(dataset.price(row: 0, asset: 0) == 42283.58)
        #expect(dataset.price(row: 1, asset: 1) == nil)
        #expect(dataset.firstRows == [0, 2])
        #expect(dataset.periodsPerYear == 365)
    }

    @Test("intraday RFC 3339 rows load, and periods per year follow the spacing")
    func intraday() throws {
        let dataset = try DatasetReader.load(directory: Fixtures.url("good").appendingPathComponent("intraday").path)
        #expect(dataset.dates.first?.description == "2024-01-01T00:00:00Z")
        #expect(dataset.dates[1].secondsSinceEpoch - dataset.dates[0].secondsSinceEpoch == 4 * 3600)
        #expect(!dataset.dates[0].isDateOnly)
    }

    @Test("validate collects every problem of a file in one pass")
    func collectsAll() throws {
        let directory = try Fixtures.temporaryDirectory()
        let text = "date,A,B\n2024-01-01,1,x\n2024-01-02,-1,2\n2024-01-02,3,nan\n"
        try text.write(to: directory.appendingPathComponent("prices.csv"), atomically: true, encoding: .utf8)
        let problems = DatasetReader.validate(directory: directory.path).problems
        #expect(problems.map(\.slug) == ["unparsable-number", "non-positive-price", "duplicate-date"])
    }
}
