import Backtest
import Foundation
import Market
import Risk

/// `report.html`: one self-contained page (inline SVG and CSS, no scripts, no network),
/// rendered from the report file's values only, so the page and `report.json` cannot
/// disagree, and saying only what the evaluation did.
package enum ReportHTML {
    /// The page of `report`; chart element ids: `wealth`, `drawdown`, `volatility`,
    /// `weights-NAME` per allocator, and `capacity` with `--aum`.
    package static func render(_ report: ReportFile, datasetName: String) -> String {
        let series = report.series
        let dates = series.dates
        let names = report.allocators.map(\.displayName)
        let strong = Set(report.allocators.filter { $0.kind != "baseline" }.map(\.displayName) + [report.reference])
        let markers = foldMarkers(report)
        let impact = report.aum.map { " · market impact at $\(SVGChart.dollars($0)) under management" } ?? ""
        var html = """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Regimen evaluation: \(SVGChart.escape(datasetName))</title>
            <style>
            body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:1100px;color:#222;padding:0 12px}
            h1{font-size:1.5em;margin-bottom:4px} h2{font-size:1.15em;margin-top:28px;border-bottom:1px solid #ddd;padding-bottom:4px}
            .meta{color:#555} table{border-collapse:collapse;font-size:13px;width:100%;margin:8px 0}
            th,td{padding:4px 6px;text-align:right;border-bottom:1px solid #eee} th:first-child,td:first-child{text-align:left}
            td.best{font-weight:700;background:#eef7ee} .chart{width:100%;height:auto;background:#fafafa;border:1px solid #eee}
            .chart text{font-size:11px;fill:#444} .chart .grid{stroke:#e3e3e3} .weights{display:grid;grid-template-columns:1fr 1fr;gap:12px}
            .weights h3{font-size:13px;margin:4px 0} .note{color:#666;font-size:13px} .verdict{font-size:15px;margin:8px 0}
            </style></head><body>
            <h1>Regimen evaluation</h1>
            <p class="meta">Data \(SVGChart.escape(datasetName)) · returns \(report.from) to \(report.to) (\(dates.count) periods) · fee \(format(report.feeBps)) bps · rebalance \(report.rebalance) · reference \(report.reference)\(impact)</p>

            """
        html += verdicts(report.allocators)
        html += metricsTable(report.allocators)
        html += significanceTable(report.allocators, reference: report.reference)
        if let pbo = report.pbo {
            html +=
                "<p class=\"note\">Probability of backtest overfitting across these \(names.count) allocators (CSCV): <b>\(format(pbo))</b> — the chance that the best in-sample allocator ranks below the median out of sample.</p>"
        }
        html +=
            "<h2>Wealth (log scale)</h2>"
            + SVGChart.lines(
                id: "wealth", dates: dates, series: names.map { ($0, (series.wealth[$0] ?? []).map(Optional.init)) },
                logScale: true, strong: strong, markers: markers, format: { format($0) })
        html +=
            "<h2>Drawdown</h2>"
            + SVGChart.lines(
                id: "drawdown", dates: dates, series: names.map { name in (name, (series.drawdown[name] ?? []).map { -$0 }) },
                logScale: false, strong: strong, markers: markers, format: { percent($0) })
        html +=
            "<h2>Rolling volatility (\(report.rollingWindow) periods, annualised)</h2>"
            + SVGChart.lines(
                id: "volatility", dates: dates, series: names.map { ($0, series.rollingVolatility[$0] ?? []) }, logScale: false,
                strong: strong, markers: markers, format: { percent($0) })
        if let regimes = series.regimes {
            html +=
                "<h2>Regimes as each model saw them</h2><p class=\"note\">The label of the forward filter's most probable state at each decision (filtered, never smoothed: what the model knew then).</p>"
                + SVGChart.regimes(
                    id: "regimes", dates: dates, bands: names.compactMap { name in regimes[name].map { (name, $0) } })
        }
        html += weightsCharts(series, names: names, markers: markers)
        html += sensitivityTable(report.allocators)
        html += capacitySection(report, names: names, strong: strong)
        for recipe in report.allocators where recipe.folds != nil {
            html +=
                "<h2>Recipe \(SVGChart.escape(recipe.name)): one model per fold</h2><table><tr><th>fold</th><th>train</th><th>validate</th><th>test</th><th>version</th><th>final wealth</th><th>Sharpe</th><th>max drawdown</th></tr>"
            for (k, fold) in (recipe.folds ?? []).enumerated() {
                html +=
                    "<tr><td>\(k + 1)</td><td>\(fold.fold.train.joined(separator: " – "))</td><td>\(fold.fold.validate.joined(separator: " – "))</td><td>\(fold.fold.test.joined(separator: " – "))</td><td>\(SVGChart.escape(recipe.name)):\(fold.fold.version)</td><td>\(format(fold.finalWealth))</td><td>\(fold.sharpe.map(format) ?? "–")</td><td>\(percent(fold.maxDrawdown))</td></tr>"
            }
            html += "</table>"
        }
        if !report.folds.isEmpty {
            let refitted =
                report.allocators.contains { $0.folds != nil }
                ? "recipes are retrained on each fold's training window (tables above); baselines re-estimate on their trailing windows; fixed model versions stay as trained"
                : "nothing is refitted per fold (baselines re-estimate on their trailing windows, model versions stay as trained)"
            html +=
                "<h2>Walk-forward folds</h2><p class=\"note\">Every allocator runs once through the test ranges below; \(refitted).</p><table><tr><th>fold</th><th>train</th><th>test</th></tr>"
            for (k, fold) in report.folds.enumerated() {
                html +=
                    "<tr><td>\(k + 1)</td><td>\(fold.trainFrom) – \(fold.trainTo)</td><td>\(fold.testFrom) – \(fold.testTo)</td></tr>"
            }
            html += "</table>"
        }
        html +=
            "<p class=\"note\">Every number here is in report.json. Costs, funding and periods are the same for every allocator.</p></body></html>\n"
        return html
    }

    static func metricsTable(_ allocators: [ReportFile.Allocator]) -> String {
        typealias Column = (title: String, higherIsBetter: Bool, value: (BacktestFile) -> Double?, format: (Double) -> String)
        let columns: [Column] = [
            ("final wealth", true, { $0.metrics.finalWealth }, { format($0) }),
            ("CAGR", true, { $0.metrics.cagr }, { percent($0) }),
            ("vol", false, { $0.metrics.volAnnual }, { percent($0) }),
            ("Sharpe", true, { $0.metrics.sharpe }, { format($0) }),
            ("Sortino", true, { $0.metrics.sortino }, { format($0) }),
            ("max DD", false, { $0.metrics.maxDrawdown }, { percent($0) }),
            ("Calmar", true, { $0.metrics.calmar }, { format($0) }),
            ("turnover/yr", false, { $0.turnoverAnnual }, { format($0) }),
            ("costs", false, { $0.costsPaid }, { percent($0) }),
            ("funding", false, { $0.fundingPaid }, { percent($0) }),
            ("VaR 99%", false, { $0.metrics.valueAtRisk }, { percent($0) }),
            ("ES 99%", false, { $0.metrics.expectedShortfall }, { percent($0) }),
        ]
        var html = "<h2>Metrics</h2><table><tr><th>allocator</th>" + columns.map { "<th>\($0.title)</th>" }.joined() + "</tr>"
        let best = columns.map { column -> Double? in
            let values = allocators.compactMap { column.value($0.metrics) }
            return column.higherIsBetter ? values.max() : values.min()
        }
        for allocator in allocators {
            let flags =
                (allocator.inSample == true ? " <strong class=\"in-sample\">in-sample</strong>" : "")
                + (allocator.scheduleOffsets.map { " <small>mean over \($0) schedule offsets</small>" } ?? "")
                + (allocator.metrics.limitsBinding.map { binding in
                    binding.isEmpty
                        ? ""
                        : " <small>limits bound: "
                            + binding.sorted { $0.key < $1.key }.map { "\(SVGChart.escape($0.key)) \($0.value)" }.joined(
                                separator: ", ")
                            + "</small>"
                } ?? "")
            html += "<tr><td>\(SVGChart.escape(allocator.displayName))\(flags)</td>"
            for (k, column) in columns.enumerated() {
                let value = column.value(allocator.metrics)
                let mark = value != nil && value == best[k] ? " class=\"best\"" : ""
                html += "<td\(mark)>\(value.map(column.format) ?? "–")</td>"
            }
            html += "</tr>"
        }
        return html + "</table><p class=\"note\">Best value in each column in bold.</p>"
    }

    static func significanceTable(_ allocators: [ReportFile.Allocator], reference: String) -> String {
        var html =
            "<h2>Significance against \(SVGChart.escape(reference))</h2><table><tr><th>allocator</th><th>Sharpe diff</th><th>95% CI</th><th>p-value</th><th>PSR</th><th>DSR</th></tr>"
        for allocator in allocators {
            let s = allocator.significance
            html +=
                "<tr><td>\(SVGChart.escape(allocator.displayName))</td><td>\(format(s.sharpeDiff))</td><td>[\(format(s.ciLow)), \(format(s.ciHigh))]</td><td>\(format(s.pValue))</td><td>\(s.psr.map { format($0) } ?? "–")</td><td>\(s.dsr.map { format($0) } ?? "–")</td></tr>"
        }
        return html
            + "</table><p class=\"note\">Annualised Sharpe difference with a stationary block bootstrap (mean block 10, 2,000 resamples); probabilistic and deflated Sharpe ratios (Bailey and Lopez de Prado), deflated for \(allocators.count) strategies tried.</p>"
    }

    static func sensitivityTable(_ allocators: [ReportFile.Allocator]) -> String {
        guard let cells = allocators.first?.sensitivity, !cells.isEmpty else { return "" }
        var html = "<h2>Sensitivity to costs and rebalancing (Sharpe / final wealth)</h2><table><tr><th>allocator</th>"
        html += cells.map { "<th>\(format($0.feeBps)) bps, \($0.rebalance)</th>" }.joined() + "</tr>"
        for allocator in allocators {
            html +=
                "<tr><td>\(SVGChart.escape(allocator.displayName))</td>"
                + allocator.sensitivity.map { "<td>\($0.sharpe.map { format($0) } ?? "–") / \(format($0.finalWealth))</td>" }
                .joined() + "</tr>"
        }
        return html + "</table>"
    }

    /// A stacked weights chart per allocator; an asset has one colour on every chart (cash
    /// last, in grey), so 18 or more assets stay told apart and comparable across charts.
    static func weightsCharts(_ series: ReportFile.Series, names: [String], markers: [SVGChart.Marker]) -> String {
        let assets = Set(series.weights.values.flatMap(\.keys)).sorted()
        let color = Dictionary(uniqueKeysWithValues: zip(assets, SVGChart.colors(assets.count)))
        var html = "<h2>Weights over time</h2><div class=\"weights\">"
        for name in names {
            let byAsset = series.weights[name] ?? [:]
            var layers = byAsset.keys.sorted().map { (name: $0, values: byAsset[$0]!, color: color[$0]!) }
            let risky = series.dates.indices.map { t in layers.reduce(0) { $0 + $1.values[t] } }
            layers.append((name: "cash", values: risky.map { max(0, 1 - $0) }, color: "#c7c7c7"))
            html +=
                "<div><h3>\(SVGChart.escape(name))</h3>"
                + SVGChart.stacked(id: "weights-\(name)", dates: series.dates, layers: layers, markers: markers) + "</div>"
        }
        return html + "</div>"
    }

    /// A marker at the first test date of every walk-forward fold after the first (where a
    /// recipe's next model takes over).
    static func foldMarkers(_ report: ReportFile) -> [SVGChart.Marker] {
        report.folds.enumerated().dropFirst().compactMap { k, fold in
            report.series.dates.firstIndex(of: fold.testFrom).map { SVGChart.Marker(index: $0, label: "fold \(k + 1)") }
        }
    }

    static func format(_ value: Double) -> String { String(format: Swift.abs(value) >= 100 ? "%.0f" : "%.3g", value) }
    static func percent(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }

    /// The verdict on each model and recipe, one sentence each (contract section 10).
    static func verdicts(_ allocators: [ReportFile.Allocator]) -> String {
        allocators.compactMap { allocator in
            allocator.verdict.map { verdict in
                let mark = verdict.earnsPlace ? "&#10003;" : "&#10007;"
                return
                    "<p class=\"verdict\"><b>\(mark) \(SVGChart.escape(verdict.sentence(for: allocator.displayName)))</b></p>\n"
            }
        }.joined()
    }
}
