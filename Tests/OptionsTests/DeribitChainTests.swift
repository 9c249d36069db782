import Foundation
import Market
import TestSupport
import Testing

@testable import Options

/// Deribit's export read directly by `options price`: instrument names, and the shipped example
/// chain `data/options/example-deribit.csv` (made by `scripts/fixtures/make_deribit_example.py`
/// with scipy's Black-76; one deep in-the-money mark about 3 cents under intrinsic).
@Suite("Deribit export")
struct DeribitChainTests {
    static let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../data/options/example-deribit.csv").standardized

    @Test("instrument names: asset, expiry at 08:00 UTC, strike and type; linear USDC options quote in USD")
    func names() throws {
        let btc = try #require(DeribitChain.instrument("BTC-26JAN24-40000-C"))
        #expect(btc.asset == "BTC" && btc.type == .call && btc.strike == 40_000 && btc.inCoin)
        #expect(btc.expiry.description == "2024-01-26T08:00:00Z")
        let eth = try #require(DeribitChain.instrument("ETH-5JAN24-2200-P"))
        #expect(eth.expiry.description == "2024-01-05T08:00:00Z" && eth.type == .put)
        let xrp = try #require(DeribitChain.instrument("XRP_USDC-29MAR24-0d625-P"))
        #expect(xrp.asset == "XRP" && xrp.strike == 0.625 && !xrp.inCoin)
        for bad in [
            "BTC-PERPETUAL", "BTC-26JAN24", "BTC-26JAN24-40000", "BTC-26XYZ24-40000-C", "BTC-32JAN24-1-C", "BTC-26JAN24-d5-C",
        ] {
            #expect(DeribitChain.instrument(bad) == nil, "\(bad)")
        }
    }

    @Test("the example chain: valued at its creation_timestamp; marks reproduced from mark_iv to half a tick; IVs from marks")
    func example() throws {
        let text = try String(contentsOf: Self.example, encoding: .utf8)
        let table = try CSVTable(parsing: text)
        let marks = table.records.dropFirst().map { (Double($0.fields[7])!, Double($0.fields[8])! / 100) }
        let fromIV = try OptionChain(text: text, file: "example-deribit.csv", valuation: nil, rate: 0, implied: false)
        #expect(fromIV.isDeribit && fromIV.valuation.description == "2024-01-10T08:00:00Z")
        #expect(fromIV.rows.map(\.asset) == Array(repeating: "ETH", count: 10))
        // Row 1 is the mark set to intrinsic rounded down; the others are scipy's price rounded to 0.0001.
        for (row, mark) in zip(fromIV.rows, marks).dropFirst() {
            #expect(Swift.abs(row.price / row.forward - mark.0) <= 0.00005 + 1e-12, "\(row.strike) \(row.type)")
        }
        let implied = try OptionChain(text: text, file: "example-deribit.csv", valuation: nil, rate: 0, implied: true)
        #expect(implied.rows.count == 10)
        #expect(
            implied.rows[0].volatility == nil && implied.rows[0].note.hasPrefix("below intrinsic by 0.0263"),
            "\(implied.rows[0].note)")
        for (row, mark) in zip(implied.rows, marks).dropFirst() {
            let volatility = try #require(row.volatility)
            #expect(row.note.isEmpty && Swift.abs(volatility - mark.1) <= 0.005, "\(row.strike) \(row.type)")
        }
        let error = #expect(throws: OptionChainProblems.self) {
            try OptionChain(text: text, file: "example-deribit.csv", valuation: nil, rate: 0, implied: true, strict: true)
        }
        #expect(error?.description.hasPrefix("example-deribit.csv:2:8: mark_price no volatility reproduces") == true)
    }

    @Test("a zero mark is at intrinsic (noted); a bad name, a negative mark and an expired option are refused at their place")
    func refusals() throws {
        let header = "instrument_name,mark_price,underlying_price,creation_timestamp\n"
        let zero = try OptionChain(
            text: header + "BTC-26JAN24-90000-C,0.0,42000,1704873600000\n", file: "d.csv", valuation: nil, rate: 0, implied: true)
        #expect(zero.rows[0].note.hasPrefix("at intrinsic"))
        let cases = [
            ("BTC-PERPETUAL,0.1,42000,1704873600000", "d.csv:2:1:"),
            ("BTC-26JAN24-40000-C,-0.1,42000,1704873600000", "d.csv:2:2:"),
            ("BTC-5JAN24-40000-C,0.1,42000,1704873600000", "d.csv:2:1:"),
            ("BTC-26JAN24-40000-C,0.1,0,1704873600000", "d.csv:2:3:"),
        ]
        for (row, place) in cases {
            let error = #expect(throws: OptionChainProblems.self) {
                try OptionChain(text: header + row + "\n", file: "d.csv", valuation: nil, rate: 0, implied: true)
            }
            #expect(error?.description.hasPrefix(place) == true, "\(row): \(String(describing: error))")
        }
        let noIV = #expect(throws: OptionChainProblems.self) {
            try OptionChain(
                text: header + "BTC-26JAN24-40000-C,0.1,42000,1\n", file: "d.csv", valuation: nil, rate: 0, implied: false)
        }
        #expect(noIV?.problems.first?.slug == "missing-column")
    }
}
