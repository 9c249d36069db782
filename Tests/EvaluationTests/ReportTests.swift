import Backtest
import Baselines
import Evaluation
import Foundation
import Market
import Support
import TestSupport
import Testing

@Suite("Evaluation report")
struct ReportTests {
    static func evaluate() throws -> ([Evaluation.Entry], Evaluation.Request, Dataset) {
        let directory = try Fixtures.temporaryDirectory()
        try SyntheticMarket(assets: 4, periods: 260, seed: 12).files.write(to: directory)
        let market = try DatasetReader.load(directory: directory.path)
        var request = Evaluation.Request(
            allocators: [Baseline(.equalWeight), Baseline(.inverseVolatility), Baseline(.exponentiatedGradient)],
            firstReturnRow: 100, lastReturnRow: 259, feeBasisPoints: 10, rebalance: .every(5))
        request.sensitivityFees = [0, 25]
        request.sensitivitySchedules = [.every(1), .every(10)]
        request.walkForward = (60, 40, .rolling)
        return (try Evaluation.run(market, request).entries, request, market)
    }

    @Test("every allocator meets the same periods; the reference has a zero difference")
    func samePeriods() throws {
        let (entries, _, _) = try Self.evaluate()
        let dates = entries[0].result.periods.map(\.date)
        #expect(entries.allSatisfy { $0.result.periods.map(\.date) == dates })
        #expect(dates.count == 160)
        #expect(entries[0].significance.sharpeDiff == 0)
        #expect(entries.allSatisfy { $0.sensitivity.count == 4 })
    }

    @Test("the page is self-contained and renders every chart; report.json carries the numbers")
    func renders() throws {
        let (entries, request, market) = try Self.evaluate()
        let folds = WalkForward(range: 100...259, trainLength: 60, testLength: 40, window: .rolling).folds
        let dates = market.dates.map(\.description)
        let report = ReportFile(entries, folds: folds, request: request, dates: dates)
        let html = ReportHTML.render(report, datasetName: "synthetic")
        for id in ["wealth", "drawdown", "volatility"] + entries.map({ "weights-\($0.name)" }) {
            #expect(html.contains("<svg id=\"\(id)\""), "chart \(id)")
        }
        #expect(!html.contains("<script") && !html.contains("http://") && !html.contains("https://"))
        #expect(html.components(separatedBy: "class=\"best\"").count - 1 >= 12)
        // The page says only what happened: nothing is refitted per fold, and it makes no claim about regimes.
        #expect(
            html.contains("nothing is refitted per fold") && !html.contains("are refitted") && !html.contains("provides regimes"))
        let json = try JSONSerialization.jsonObject(with: CanonicalJSON.encode(report)) as? [String: Any]
        let allocators = try #require(json?["allocators"] as? [[String: Any]])
        #expect(allocators.count == 3)
        let significance = try #require(allocators[1]["significance"] as? [String: Any])
        #expect(Set(significance.keys) == ["sharpe_diff", "ci_low", "ci_high", "p_value", "psr", "dsr"])
        #expect((json?["folds"] as? [Any])?.count == 4)
        #expect(json?["schema"] as? String == "regimen.report/v1")
    }
}

/// The report in a real browser: headless Chromium loads the page and its DOM holds every
/// chart (skipped when Chromium is not installed; `.ci/run` installs it).
@Suite("Evaluation report in Chromium")
struct BrowserRenderTests {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    @Test("Chromium renders every chart of the page", .enabled(if: chromium != nil, "Chromium is not installed"))
    func rendersInBrowser() throws {
        let (entries, request, market) = try ReportTests.evaluate()
        let directory = try Fixtures.temporaryDirectory()
        let page = directory.appendingPathComponent("report.html")
        let html = ReportHTML.render(
            ReportFile(entries, folds: [], request: request, dates: market.dates.map(\.description)), datasetName: "synthetic")
        try html.write(to: page, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.chromium!)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", page.absoluteString]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let dom = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        for id in ["wealth", "drawdown", "volatility"] + entries.map({ "weights-\($0.name)" }) {
            #expect(dom.contains("id=\"\(id)\""), "chart \(id) missing from the rendered DOM")
        }
        #expect(dom.components(separatedBy: "<path").count - 1 >= 3 * entries.count)
    }
}
