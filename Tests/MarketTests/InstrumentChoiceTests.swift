import Foundation
import Market
import TestSupport
import Testing

/// `instrument: auto` (contract section 7) on the synthetic market with dated futures, one of
/// whose futures assets is also given a perp (a funding column that swings between paying
/// and earning).
@Suite("Instrument choice")
struct InstrumentChoiceTests {
    static func files(fee: String = "10", extraConfig: String = "") -> DatasetFiles {
        var files = SyntheticMarket(assets: 4, periods: 500, seed: 11, futures: 2).files
        let dates = files.files["prices.csv"]!.split(separator: "\n").dropFirst().map { $0.prefix(10) }
        files.files["funding.csv"] =
            "date,SYN4\n"
            + dates.enumerated().map { row, date in
                row < 150 ? "\(date),\n" : "\(date),\(DatasetFiles.number(0.0008 * sin(Double(row) / 15), significant: 6))\n"
            }.joined()
        files.files["dataset.yaml"] = "fee_bps: \(fee)\ninstrument:\n  SYN3: auto\n  SYN4: auto\n" + extraConfig
        return files
    }

    static func load(_ files: DatasetFiles) throws -> Dataset {
        let directory = try Fixtures.temporaryDirectory()
        try files.write(to: directory)
        return try DatasetReader.load(directory: directory.path)
    }

    @Test("every chosen instrument exists that day: a future only with a held contract, a perp only with funding recorded")
    func onlyExistingInstruments() throws {
        let market = try Self.load(Self.files())
        let syn4 = try #require(market.instruments["SYN4"])
        let chain = try #require(market.futuresChain(of: "SYN4"))
        let firstFunding = try #require(market.funding.first { $0.asset == "SYN4" }?.firstRecordedRow)
        var seen: Set<Instrument> = []
        for row in 0..<market.rowCount {
            guard let instrument = syn4[row] else {
                #expect(market.spotClose(row: row, asset: 3) == nil, "unlisted only before the spot lists")
                continue
            }
            seen.insert(instrument)
            if instrument == .future {
                #expect(chain.heldContract(atRow: row) != nil && chain.heldContract(atRow: row - 1) != nil)
            }
            if instrument == .perp { #expect(row >= firstFunding) }
        }
        #expect(seen == Set(Instrument.allCases), "the test needs every instrument to be chosen somewhere: \(seen)")
        // Funding is charged only on the periods the perp was held.
        let charged = try #require(market.chargedFunding(of: "SYN4"))
        for row in 1..<market.rowCount where charged[row] != 0 { #expect(syn4[row - 1] == .perp) }
    }

    @Test("a switch is traded both ways: both legs in the turnover on the switch, and a cost that holding spot does not pay")
    func switchesAreCharged() throws {
        let market = try Self.load(Self.files())
        let syn4 = try #require(market.instruments["SYN4"])
        let switches = (1..<market.rowCount).filter { row in
            syn4[row] != nil && syn4[row - 1] != nil && syn4[row] != syn4[row - 1]
        }
        #expect(switches.count >= 3)
        for row in switches {
            #expect(market.rolls(atRow: row)[3], "switch at row \(row) is a roll")
            #expect(market.tradedWeight(from: [0, 0, 0, 0.25], to: [0, 0, 0, 0.5], atRow: row) == 0.75)
        }
        // Negative control: the same data held spot (no auto) pays no switching legs.
        var spotFiles = Self.files()
        spotFiles.files["dataset.yaml"] = "fee_bps: 10\nkind:\n  SYN4: spot\n  SYN3: spot\n"
        spotFiles.files["funding.csv"] = nil
        let spot = try Self.load(spotFiles)
        #expect(switches.allSatisfy { spot.tradedWeight(from: [0, 0, 0, 0.25], to: [0, 0, 0, 0.5], atRow: $0) == 0.25 })
    }

    @Test("the switching cost holds the choice: a prohibitive fee never switches, a zero fee switches at least as often")
    func hysteresis() throws {
        func switches(_ fee: String) throws -> Int {
            let chosen = try #require(Self.load(Self.files(fee: fee)).instruments["SYN4"])
            return (1..<chosen.count).filter { chosen[$0] != nil && chosen[$0 - 1] != nil && chosen[$0] != chosen[$0 - 1] }.count
        }
        let (free, normal, prohibitive) = try (switches("0"), switches("10"), switches("100000"))
        #expect(free >= normal && normal > 0)
        // A fee of 1000% only lets the choice move when an instrument stops existing (a future
        // whose chain pauses); with monthly contracts that never happens here.
        #expect(prohibitive == 0)
    }

    @Test("rewriting the futures, funding and prices after t leaves every choice and value up to t unchanged")
    func noLookAhead() throws {
        let files = Self.files()
        let original = try Self.load(files)
        let cutoffRow = 300
        var rewritten = files
        for name in ["futures.csv", "funding.csv", "prices.csv"] {
            let lines = files.files[name]!.split(separator: "\n", omittingEmptySubsequences: false)
            let cutoff = "\(original.dates[cutoffRow])"
            rewritten.files[name] =
                lines.map { line in
                    guard line.count >= 10, String(line.prefix(10)) > cutoff, line.prefix(4) != "date" else {
                        return String(line)
                    }
                    var fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                    let column = name == "futures.csv" ? 4 : 1
                    for index in column..<fields.count where !fields[index].isEmpty {
                        fields[index] = DatasetFiles.number(
                            Double(fields[index])! * (name == "funding.csv" ? -3 : 0.7), significant: 8)
                    }
                    return fields.joined(separator: ",")
                }.joined(separator: "\n")
        }
        let changed = try Self.load(rewritten)
        for name in ["SYN3", "SYN4"] {
            let before = try #require(original.instruments[name])
            let after = try #require(changed.instruments[name])
            #expect(Array(before[...cutoffRow]) == Array(after[...cutoffRow]), "\(name)")
            #expect(Array(before[(cutoffRow + 1)...]) != Array(after[(cutoffRow + 1)...]) || name == "SYN3")
        }
        let bits = { (d: Dataset) in d.prices[..<((cutoffRow + 1) * 4)].map(\.bitPattern) }
        #expect(bits(original) == bits(changed))
    }

    static let badSettings: [(config: String, slug: String)] = [
        ("instrument: manual\n", "invalid-value"),
        ("instrument:\n  SYN4: spot\n", "invalid-value"),
        ("instrument:\n  XRP: auto\n", "unknown-asset"),
        ("instrument:\n  SYN4: auto\nkind:\n  SYN4: future\n", "invalid-value"),
        ("instrument: auto\ncarry_window: 0\n", "invalid-value"),
    ]

    @Test("a bad instrument setting is refused with its rule", arguments: badSettings.indices)
    func refused(_ index: Int) throws {
        var files = Self.files()
        files.files["dataset.yaml"] = Self.badSettings[index].config
        let directory = try Fixtures.temporaryDirectory()
        try files.write(to: directory)
        let problems = DatasetReader.validate(directory: directory.path).problems
        #expect(problems.first?.slug == Self.badSettings[index].slug, "\(problems)")
    }
}
