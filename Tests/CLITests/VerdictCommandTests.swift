import Foundation
import TestSupport
import Testing

/// The verdict in `report.json` recomputed from the report's own series: the benchmark is the
/// baseline with the best Sharpe of its wealth path, and the tracks follow from the Sharpes
/// and drawdowns of the model and the benchmark (contract section 10).
@Suite("evaluate's verdict against the report's own series")
struct VerdictCommandTests {
    /// Sharpe of the net returns of a wealth path that starts from W_0 = 1: mean over the n-1
    /// standard deviation, annualised with 365 periods a year.
    static func sharpe(wealth: [Double]) -> Double {
        let returns = zip([1] + wealth, wealth).map { $1 / $0 - 1 }
        let mean = returns.reduce(0, +) / Double(returns.count)
        let variance = returns.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(returns.count - 1)
        return mean / variance.squareRoot() * 365.0.squareRoot()
    }

    @Test("benchmark, Sharpe track, risk track and earns_place agree with the series; baselines get no verdict")
    func verdictFromSeries() throws {
        let report = try Fixtures.temporaryDirectory().appendingPathComponent("report")
        let run = try Executables.run(
            "regimen",
            [
                "evaluate", "--data", InferCommandTests.synthetic, "--models", InferCommandTests.registry, "--versions", "tiny:1",
                "--baselines", "equal-weight,min-variance,hrp", "--from", "2021-12-01", "--to", "2022-02-08",
                "--report", report.path,
            ])
        #expect(run.status == 0, "\(run.standardError)")
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: report.appendingPathComponent("report.json")))
                as? [String: Any])
        let allocators = try #require(json["allocators"] as? [[String: Any]])
        let series = try #require(json["series"] as? [String: Any])
        let wealth = try #require(series["wealth"] as? [String: [Double]])
        let drawdown = try #require(series["drawdown"] as? [String: [Double]])
        let baselines = allocators.filter { $0["kind"] as? String == "baseline" }.compactMap { $0["name"] as? String }
        #expect(allocators.filter { $0["kind"] as? String == "baseline" }.allSatisfy { $0["verdict"] == nil })
        let benchmark = try #require(baselines.max { Self.sharpe(wealth: wealth[$0]!) < Self.sharpe(wealth: wealth[$1]!) })
        let model = try #require(allocators.first { $0["kind"] as? String == "model" })
        let verdict = try #require(model["verdict"] as? [String: Any])
        #expect(verdict["benchmark"] as? String == benchmark)
        let (mine, theirs) = (Self.sharpe(wealth: wealth["tiny:1"]!), Self.sharpe(wealth: wealth[benchmark]!))
        let (myDrawdown, theirDrawdown) = (drawdown["tiny:1"]!.max()!, drawdown[benchmark]!.max()!)
        #expect(verdict["sharpe_track"] as? Bool == (mine >= theirs))
        #expect(verdict["risk_track"] as? Bool == (mine >= theirs - 0.1 && myDrawdown <= 0.8 * theirDrawdown))
        let probability = try #require(verdict["p_better"] as? Double)
        #expect(probability >= 0 && probability <= 1)
        let earns =
            ((verdict["sharpe_track"] as! Bool && probability >= 0.8) || verdict["risk_track"] as! Bool)
            && verdict["fees_doubled"] as! Bool
        #expect(verdict["earns_place"] as? Bool == earns)
        let page = try String(contentsOf: report.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(page.contains("tiny:1 earns its place") || page.contains("tiny:1 does not earn its place"))
    }
}
