import Foundation
import TestSupport
import Testing

/// `regimen-infer --explain --aum`: what today's trade costs, through the cost terms every
/// backtest charges, without changing what is written.
extension InferCommandTests {
    /// The synthetic default with an `ohlcv.csv` of USD volume: asset i trades `10^(i+4)` USD a
    /// day (`volume_unit: quote`), so the assets differ a thousandfold in liquidity.
    static func syntheticWithVolume(missing asset: String? = nil) throws -> String {
        let directory = try Fixtures.temporaryDirectory()
        for name in ["dataset.yaml", "features.csv", "funding.csv", "prices.csv"] {
            try FileManager.default.copyItem(
                atPath: synthetic + "/" + name, toPath: directory.appendingPathComponent(name).path)
        }
        let yaml = try String(contentsOfFile: synthetic + "/dataset.yaml", encoding: .utf8) + "volume_unit: quote\n"
        try yaml.write(to: directory.appendingPathComponent("dataset.yaml"), atomically: true, encoding: .utf8)
        let prices = try String(contentsOfFile: synthetic + "/prices.csv", encoding: .utf8).split(separator: "\n")
        let assets = prices[0].split(separator: ",").dropFirst().map(String.init)
        var ohlcv = "date,asset,open,high,low,close,volume\n"
        for line in prices.dropFirst() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            for (index, name) in assets.enumerated() where !cells[index + 1].isEmpty && name != asset {
                ohlcv += "\(cells[0]),\(name),,,,\(cells[index + 1]),1e\(index % 4 + 4)\n"
            }
        }
        try ohlcv.write(to: directory.appendingPathComponent("ohlcv.csv"), atomically: true, encoding: .utf8)
        return directory.path
    }

    /// The impact figure of the trade-cost line (percent of NAV).
    static func impactPercent(_ standardError: String) -> Double? {
        guard let range = standardError.range(of: "market impact ") else { return nil }
        return Double(standardError[range.upperBound...].prefix { $0 != "%" })
    }

    @Test("--aum adds the trade's fee and market impact to --explain, growing as the square root of the AUM")
    func tradeCostLine() throws {
        let data = try Self.syntheticWithVolume()
        let directory = try Fixtures.temporaryDirectory()
        let plain = directory.appendingPathComponent("plain.json")
        let sized = directory.appendingPathComponent("sized.json")
        let without = try Self.infer(["--as-of", "2022-02-08", "--out", plain.path, "--explain"], data: data)
        #expect(without.status == 0 && !without.standardError.contains("today's trade"), "\(without.standardError)")
        let small = try Self.infer(["--as-of", "2022-02-08", "--out", sized.path, "--explain", "--aum", "1e6"], data: data)
        #expect(small.status == 0, "\(small.standardError)")
        #expect(small.standardError.contains("today's trade at 1000000 USD: turnover "))
        #expect(small.standardError.contains(", fee 0."))
        // The estimate reports; it never changes the decision.
        #expect(try Data(contentsOf: plain) == Data(contentsOf: sized))
        let large = try Self.infer(["--as-of", "2022-02-08", "--check", "--explain", "--aum", "4e6"], data: data)
        let (a, b) = (
            try #require(Self.impactPercent(small.standardError)), try #require(Self.impactPercent(large.standardError))
        )
        #expect(a > 0 && Swift.abs(b / a - 2) < 0.01, "impact \(a)% at 1e6, \(b)% at 4e6")
        let zero = try Self.infer(["--as-of", "2022-02-08", "--check", "--explain", "--aum", "0"], data: data)
        #expect(Self.impactPercent(zero.standardError) == 0, "\(zero.standardError)")
    }

    @Test("without volume for a traded asset the line says why; the job still writes its weights")
    func tradeCostWithoutVolume() throws {
        let data = try Self.syntheticWithVolume(missing: "SYN1")
        let out = try Fixtures.temporaryDirectory().appendingPathComponent("weights.json")
        let run = try Self.infer(["--as-of", "2022-02-08", "--out", out.path, "--explain", "--aum", "1e7"], data: data)
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardError.contains("market impact not measurable: ohlcv.csv has no volume for SYN1 on "))
        #expect(FileManager.default.fileExists(atPath: out.path))
    }

    @Test("--aum out of range, or without --explain, is a usage error (64)", arguments: ["nan", "inf", "-1", "1e16", "abc"])
    func badAssetsUnderManagement(_ value: String) throws {
        let run = try Self.infer(["--as-of", "2022-02-08", "--check", "--explain", "--aum", value])
        #expect(run.status == 64, "\(value): \(run.standardError)")
        let alone = try Self.infer(["--as-of", "2022-02-08", "--check", "--aum", "1e6"])
        #expect(alone.status == 64 && alone.standardError.contains("give --explain too"))
    }
}
