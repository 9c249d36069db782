import Baselines
import Foundation
import Market
import Risk
import Support
import TestSupport
import Testing

@testable import Backtest
@testable import Evaluation

/// The page a team reads with many allocators and assets: 15 allocators on 20 assets over 4
/// walk-forward folds. Fold boundaries are drawn, every asset has its own colour (the same on
/// every weights chart), and legends stay inside their charts; headless Chromium renders it
/// and takes a screenshot.
@Suite("Evaluation page at scale")
struct ReportPageTests {
    /// Colours as RGB triples.
    static func rgb(_ hex: String) -> (Double, Double, Double) {
        let value = Int(hex.dropFirst(), radix: 16)!
        return (Double(value >> 16 & 255), Double(value >> 8 & 255), Double(value & 255))
    }

    static func page() throws -> (html: String, assets: Int, allocators: Int) {
        let market = try Fixtures.load(SyntheticMarket(assets: 20, periods: 300, seed: 4))
        let baselines = BaselineSpec.plain.filter { $0.rule != .bestConstantRebalanced }
        var request = Comparison.Request(
            allocators: (baselines + [
                BaselineSpec(.minimumVariance, estimator: .ledoitWolf), BaselineSpec(.minimumVariance, estimator: .ewma),
            ]).map { Baseline($0) },
            firstReturnRow: 120, lastReturnRow: 299, feeBasisPoints: 10, rebalance: .every(1))
        request.sensitivityFees = [10]
        request.sensitivitySchedules = [.every(1)]
        request.folds = try WalkForwardSpec(train: .periods(60), test: .periods(45), window: .rolling)
            .folds(dates: market.dates, returnRows: 120...299)
        let entries = try Comparison.run(market, request).entries
        let report = ReportFile(entries, folds: request.folds, request: request, dates: market.dates.map(\.description))
        return (ReportHTML.render(report, datasetName: "synthetic"), 20, entries.count)
    }

    @Test("20 colours are pairwise distinct by at least 40 of 255 in RGB (negative control: the palette repeats past 16)")
    func distinctColours() {
        let colors = SVGChart.colors(20).map(Self.rgb)
        var closest = Double.infinity
        for i in colors.indices {
            for j in colors.indices where j > i {
                let (a, b) = (colors[i], colors[j])
                closest = min(
                    closest, ((a.0 - b.0) * (a.0 - b.0) + (a.1 - b.1) * (a.1 - b.1) + (a.2 - b.2) * (a.2 - b.2)).squareRoot())
            }
        }
        #expect(closest >= 40, "closest pair \(closest)")
        #expect(SVGChart.colors(16) == SVGChart.palette)
        let repeated = (0..<20).map { SVGChart.palette[$0 % 16] }
        #expect(Set(repeated).count < 20, "the old colouring repeated colours")
    }

    @Test("fold boundaries on every chart, one colour per asset across charts, legends inside the chart")
    func pageParts() throws {
        let (html, _, allocators) = try Self.page()
        #expect(allocators >= 15)
        // 3 folds after the first x (3 line charts + one weights chart per allocator).
        #expect(html.components(separatedBy: "class=\"fold\"").count - 1 == 3 * (3 + allocators))
        #expect(html.contains(">fold 2</text>") && html.contains(">fold 4</text>"))
        // Each asset's layer has one colour on every weights chart.
        var colourOf: [String: Set<String>] = [:]
        let layer = try Regex(#"fill="(#[0-9a-f]{6})" fill-opacity="0\.8" stroke="none"><title>([^<]+)</title>"#)
        for match in html.matches(of: layer) {
            colourOf[String(match.output[2].substring!), default: []].insert(String(match.output[1].substring!))
        }
        #expect(colourOf.count >= 21 && colourOf.values.allSatisfy { $0.count == 1 }, "\(colourOf.filter { $0.value.count > 1 })")
        #expect(Set(colourOf.filter { $0.key != "cash" }.values.compactMap(\.first)).count == colourOf.count - 1)
        // Every legend entry's baseline sits inside its 300-unit-high chart.
        let legendY = try Regex(#"<text x="[0-9.]+" y="([0-9.]+)" style="[^"]*font-size"#)
        let ys = html.matches(of: legendY).compactMap { Double(String($0.output[1].substring!)) }
        #expect(!ys.isEmpty && ys.allSatisfy { $0 <= SVGChart.height - 4 }, "\(ys.max() ?? 0)")
    }

    @Test(
        "Chromium renders the page and takes a screenshot",
        .enabled(if: BrowserRenderTests.chromium != nil, "Chromium is not installed"))
    func screenshot() throws {
        let (html, _, _) = try Self.page()
        let directory = try Fixtures.temporaryDirectory()
        let page = directory.appendingPathComponent("report.html")
        try html.write(to: page, atomically: true, encoding: .utf8)
        #expect(try BrowserRenderTests.renderedDOM(page).contains("class=\"fold\""))
        let shot = directory.appendingPathComponent("page.png")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: BrowserRenderTests.chromium!)
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1200,4000",
            "--screenshot=\(shot.path)", page.absoluteString,
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let png = try Data(contentsOf: shot)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]) && png.count > 50_000, "\(png.count) bytes")
    }
}
