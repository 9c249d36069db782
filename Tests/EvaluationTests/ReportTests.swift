import Backtest
import Baselines
import Evaluation
import Foundation
import Market
import Portfolio
import Risk
import Support
import TestSupport
import Testing

@Suite("Evaluation report")
struct ReportTests {
    static func evaluate() throws -> ([Comparison.Entry], Comparison.Request, Dataset) {
        let market = try Fixtures.load(SyntheticMarket(assets: 4, periods: 260, seed: 12))
        var request = Comparison.Request(
            allocators: [Baseline(.equalWeight), Baseline(.inverseVolatility), Baseline(.exponentiatedGradient)],
            firstReturnRow: 100, lastReturnRow: 259, feeBasisPoints: 10, rebalance: .every(5))
        request.sensitivityFees = [0, 25]
        request.sensitivitySchedules = [.every(1), .every(10)]
        request.folds = try WalkForwardSpec(train: .periods(60), test: .periods(40), window: .rolling)
            .folds(dates: market.dates, returnRows: 100...259)
        return (try Comparison.run(market, request).entries, request, market)
    }

    @Test("allocators simulated two at a time give the bytes of one after another, in allocator order")
    func jobsDoNotChangeTheReport() throws {
        let market = try Fixtures.load(SyntheticMarket(assets: 4, periods: 260, seed: 12))
        var request = Comparison.Request(
            allocators: [
                Baseline(.equalWeight), Baseline(.minimumVariance), Baseline(.exponentiatedGradient), Baseline(.anticor),
                Baseline(.hierarchicalRiskParity),
            ],
            firstReturnRow: 160, lastReturnRow: 259, feeBasisPoints: 10, rebalance: .every(1))
        request.sensitivityFees = [0, 25]
        request.sensitivitySchedules = [.every(1), .every(10)]
        func report(jobs: Int) throws -> Data {
            request.jobs = jobs
            let (entries, folds, pbo) = try Comparison.runWithOverfitting(market, request)
            return try CanonicalJSON.encode(
                ReportFile(entries, folds: folds, request: request, dates: market.dates.map(\.description), pbo: pbo))
        }
        let serial = try report(jobs: 1)
        #expect(try report(jobs: 2) == serial)
        // Negative control: the allocators differ, so results out of order would be caught.
        request.allocators.swapAt(1, 2)
        #expect(try report(jobs: 1) != serial)
    }

    @Test("a baseline's decisions replayed across an evaluation's backtests give each backtest's own bytes")
    func replayedDecisions() throws {
        let market = try Fixtures.load(SyntheticMarket(assets: 4, periods: 260, seed: 12))
        let baselines = [
            Baseline(.equalWeight), Baseline(.minimumVariance), Baseline(.exponentiatedGradient), Baseline(.anticor),
            Baseline(.bestConstantRebalanced),
        ]
        // Every third row first, so the later daily backtests decide the rows between.
        var request = Comparison.Request(
            allocators: baselines, firstReturnRow: 160, lastReturnRow: 259, feeBasisPoints: 10, rebalance: .every(3))
        request.sensitivityFees = [0, 25]
        request.sensitivitySchedules = [.every(1), .every(10)]
        request.limits = try RiskLimits(yaml: "max_weight: 0.4\nmax_turnover: 0.3\n", file: "limits.yaml")
        let entries = try Comparison.run(market, request).entries
        var settings = BacktestSettings()
        (settings.firstReturnRow, settings.lastReturnRow) = (160, 259)
        (settings.feeBasisPoints, settings.rebalance) = (10, .every(3))
        (settings.limits, settings.riskWindow) = (request.limits, request.riskWindow)
        for (baseline, entry) in zip(baselines, entries) {
            let own = try Simulator.run(baseline, on: market, settings: settings)
            #expect(entry.result.periods == own.periods, "\(baseline.name)")
            for cell in entry.sensitivity {
                var variant = settings
                variant.feeBasisPoints = cell.feeBps
                variant.rebalance = try #require(RebalanceSchedule(parsing: cell.rebalance))
                let metrics = try Simulator.run(baseline, on: market, settings: variant).metrics
                #expect(cell.finalWealth == metrics.finalWealth && cell.sharpe == metrics.sharpe, "\(baseline.name) \(cell)")
            }
        }
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
        let folds = request.folds
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

    /// The DOM headless Chromium builds from the page at `page`.
    static func renderedDOM(_ page: URL) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium!)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", page.absoluteString]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let dom = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return dom
    }

    @Test("Chromium renders every chart of the page", .enabled(if: chromium != nil, "Chromium is not installed"))
    func rendersInBrowser() throws {
        let (entries, request, market) = try ReportTests.evaluate()
        let directory = try Fixtures.temporaryDirectory()
        let page = directory.appendingPathComponent("report.html")
        let html = ReportHTML.render(
            ReportFile(entries, folds: [], request: request, dates: market.dates.map(\.description)), datasetName: "synthetic")
        try html.write(to: page, atomically: true, encoding: .utf8)
        let dom = try Self.renderedDOM(page)
        for id in ["wealth", "drawdown", "volatility"] + entries.map({ "weights-\($0.name)" }) {
            #expect(dom.contains("id=\"\(id)\""), "chart \(id) missing from the rendered DOM")
        }
        #expect(dom.components(separatedBy: "<path").count - 1 >= 3 * entries.count)
    }
}

/// A model-like allocator for the page: equal weight, with a regime that alternates every
/// 20 rows, so the page's model-only parts (strong lines, the regime timeline) are drawn.
struct RegimeSeeingAllocator: Allocator {
    struct Session: AllocationSession {
        var decidesEveryPeriod: Bool { false }
        mutating func decide(_ view: MarketView, holding: [Double]) throws -> Allocation {
            try Baseline(.equalWeight).allocate(view)
        }
        func regime(atRow row: Int) -> RegimeLabel? { RegimeLabel(state: row / 20 % 2) }
    }

    var name: String { "seer:1" }
    var identity: AllocatorIdentity { AllocatorIdentity(kind: .model, name: "seer", version: 1) }
    func allocate(_ view: MarketView) throws -> Allocation { try Baseline(.equalWeight).allocate(view) }
    func firstDecisionRow(in market: Dataset) -> Int { 0 }
    func session(deciding rows: ClosedRange<Int>, through view: MarketView) throws -> any AllocationSession { Session() }
}

@Suite("Evaluation report with a model")
struct ModelReportTests {
    @Test("the model and the reference are drawn strong, the rest faint; the regimes the model saw are charted")
    func modelParts() throws {
        let market = try Fixtures.load(SyntheticMarket(assets: 4, periods: 260, seed: 12))
        var request = Comparison.Request(
            allocators: [
                RegimeSeeingAllocator(), Baseline(.equalWeight), Baseline(.inverseVolatility), Baseline(.minimumVariance),
            ],
            firstReturnRow: 100, lastReturnRow: 259, feeBasisPoints: 10, rebalance: .every(1))
        request.sensitivityFees = [0]
        request.sensitivitySchedules = [.every(1)]
        let entries = try Comparison.run(market, request).entries
        #expect(
            entries[0].result.regimes.prefix(3).map { $0?.description } == ["r0", "r1", "r1"]
                && entries[1].result.regimes.allSatisfy { $0 == nil })
        let report = ReportFile(entries, folds: [], request: request, dates: market.dates.map(\.description))
        let html = ReportHTML.render(report, datasetName: "synthetic")
        #expect(html.contains("<svg id=\"regimes\""))
        // 3 line charts x 2 faint baselines (inverse-vol, min-variance); model and reference strong.
        #expect(html.components(separatedBy: "stroke-opacity=\"0.35\"").count - 1 == 6)
        #expect(html.components(separatedBy: "stroke-width=\"2.2\"").count - 1 == 6)
        let json = try JSONSerialization.jsonObject(with: CanonicalJSON.encode(report)) as? [String: Any]
        let regimes = (json?["series"] as? [String: Any])?["regimes"] as? [String: [Any]]
        #expect(regimes?.keys.sorted() == ["seer:1"] && regimes?["seer:1"]?.count == 160)
        if BrowserRenderTests.chromium != nil {
            let page = try Fixtures.temporaryDirectory().appendingPathComponent("report.html")
            try html.write(to: page, atomically: true, encoding: .utf8)
            let dom = try BrowserRenderTests.renderedDOM(page)
            #expect(dom.contains("id=\"regimes\"") && dom.components(separatedBy: "<rect").count - 1 >= 8)
        }
    }
}
