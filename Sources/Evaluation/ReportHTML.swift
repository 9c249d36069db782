import Backtest
import Foundation
import Market
import Risk

/// `report.html`: one self-contained page (inline SVG and CSS, no scripts, no network).
package enum ReportHTML {
    /// The page for an evaluation; chart element ids: `wealth`, `drawdown`, `volatility`,
    /// and `weights-NAME` per allocator.
    package static func render(
        _ entries: [Evaluation.Entry], folds: [WalkForward.Fold], request: Evaluation.Request, datasetName: String, rowDates: [String],
        pbo: Double? = nil
    ) -> String {
        let first = entries[0].result
        let dates = first.periods.map { $0.date.description }
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
            .weights h3{font-size:13px;margin:4px 0} .note{color:#666;font-size:13px}
            </style></head><body>
            <h1>Regimen evaluation</h1>
            <p class="meta">Data \(SVGChart.escape(datasetName)) · returns \(dates.first!) to \(dates.last!) (\(dates.count) periods) · fee \(format(request.feeBasisPoints)) bps · rebalance \(request.rebalance) · reference \(request.reference)</p>

            """
        html += metricsTable(entries)
        html += significanceTable(entries, reference: request.reference)
        if let pbo {
            html += "<p class=\"note\">Probability of backtest overfitting across these \(entries.count) allocators (CSCV): <b>\(format(pbo))</b> — the chance that the best in-sample allocator ranks below the median out of sample.</p>"
        }
        html += "<h2>Wealth (log scale)</h2>" + SVGChart.lines(
            id: "wealth", dates: dates, series: entries.map { ($0.name, $0.result.periods.map { Optional($0.wealth) }) }, logScale: true, format: { format($0) })
        html += "<h2>Drawdown</h2>" + SVGChart.lines(
            id: "drawdown", dates: dates,
            series: entries.map { entry in
                var peak = 1.0
                return (entry.name, entry.result.periods.map { period -> Double? in peak = max(peak, period.wealth); return -(1 - period.wealth / peak) })
            }, logScale: false, format: { percent($0) })
        html += "<h2>Rolling volatility (30 periods, annualised)</h2>" + SVGChart.lines(
            id: "volatility", dates: dates,
            series: entries.map { entry in
                let returns = entry.result.periods.map(\.netReturn)
                return (entry.name, returns.indices.map { t in
                    t < 29 ? nil : Statistics.standardDeviation(Array(returns[(t - 29)...t])) * entry.result.periodsPerYear.squareRoot()
                })
            }, logScale: false, format: { percent($0) })
        html += "<h2>Weights over time</h2><div class=\"weights\">"
        for entry in entries {
            let periods = entry.result.periods
            var layers: [(name: String, values: [Double])] = []
            for (asset, name) in entry.result.assets.enumerated() where periods.contains(where: { $0.weights[asset] != 0 }) {
                layers.append((name, periods.map { $0.weights[asset] }))
            }
            layers.append((entry.result.cash, periods.map { max(0, 1 - $0.weights.reduce(0, +)) }))
            html += "<div><h3>\(SVGChart.escape(entry.name))</h3>" + SVGChart.stacked(id: "weights-\(entry.name)", dates: dates, layers: layers) + "</div>"
        }
        html += "</div><h2>Regimes</h2><p class=\"note\">No allocator in this evaluation provides regimes (model versions do).</p>"
        html += sensitivityTable(entries)
        if !folds.isEmpty {
            html += "<h2>Walk-forward folds</h2><p class=\"note\">Baselines with estimation windows roll through the folds; allocators that learn are refitted per fold.</p><table><tr><th>fold</th><th>train</th><th>test</th></tr>"
            for (k, fold) in folds.enumerated() {
                html += "<tr><td>\(k + 1)</td><td>\(rowDates[fold.train.lowerBound]) – \(rowDates[fold.train.upperBound])</td><td>\(rowDates[fold.test.lowerBound]) – \(rowDates[fold.test.upperBound])</td></tr>"
            }
            html += "</table>"
        }
        html += "<p class=\"note\">Every number here is in report.json. Costs, funding and periods are the same for every allocator.</p></body></html>\n"
        return html
    }

    static func metricsTable(_ entries: [Evaluation.Entry]) -> String {
        let metrics = entries.map { ($0.name, $0.result.metrics, $0.result) }
        typealias Column = (title: String, higherIsBetter: Bool, value: (PerformanceMetrics, BacktestResult) -> Double?, format: (Double) -> String)
        let columns: [Column] = [
            ("final wealth", true, { m, _ in m.finalWealth }, { format($0) }),
            ("CAGR", true, { m, _ in m.cagr }, { percent($0) }),
            ("vol", false, { m, _ in m.volAnnual }, { percent($0) }),
            ("Sharpe", true, { m, _ in m.sharpe }, { format($0) }),
            ("Sortino", true, { m, _ in m.sortino }, { format($0) }),
            ("max DD", false, { m, _ in m.maxDrawdown }, { percent($0) }),
            ("Calmar", true, { m, _ in m.calmar }, { format($0) }),
            ("turnover/yr", false, { _, r in r.turnoverAnnual }, { format($0) }),
            ("costs", false, { _, r in r.costsPaid }, { percent($0) }),
            ("funding", false, { _, r in r.fundingPaid }, { percent($0) }),
            ("VaR 99%", false, { m, _ in m.valueAtRisk }, { percent($0) }),
            ("ES 99%", false, { m, _ in m.expectedShortfall }, { percent($0) }),
        ]
        var html = "<h2>Metrics</h2><table><tr><th>allocator</th>" + columns.map { "<th>\($0.title)</th>" }.joined() + "</tr>"
        let best = columns.map { column -> Double? in
            let values = metrics.compactMap { column.value($0.1, $0.2) }
            return column.higherIsBetter ? values.max() : values.min()
        }
        for (name, m, result) in metrics {
            html += "<tr><td>\(SVGChart.escape(name))</td>"
            for (k, column) in columns.enumerated() {
                let value = column.value(m, result)
                let mark = value != nil && value == best[k] ? " class=\"best\"" : ""
                html += "<td\(mark)>\(value.map(column.format) ?? "–")</td>"
            }
            html += "</tr>"
        }
        return html + "</table><p class=\"note\">Best value in each column in bold.</p>"
    }

    static func significanceTable(_ entries: [Evaluation.Entry], reference: String) -> String {
        var html = "<h2>Significance against \(SVGChart.escape(reference))</h2><table><tr><th>allocator</th><th>Sharpe diff</th><th>95% CI</th><th>p-value</th><th>PSR</th><th>DSR</th></tr>"
        for entry in entries {
            let s = entry.significance
            html += "<tr><td>\(SVGChart.escape(entry.name))</td><td>\(format(s.sharpeDiff))</td><td>[\(format(s.ciLow)), \(format(s.ciHigh))]</td><td>\(format(s.pValue))</td><td>\(s.psr.map { format($0) } ?? "–")</td><td>\(s.dsr.map { format($0) } ?? "–")</td></tr>"
        }
        return html + "</table><p class=\"note\">Annualised Sharpe difference with a stationary block bootstrap (mean block 10, 2,000 resamples); probabilistic and deflated Sharpe ratios (Bailey and Lopez de Prado), deflated for \(entries.count) strategies tried.</p>"
    }

    static func sensitivityTable(_ entries: [Evaluation.Entry]) -> String {
        guard let cells = entries.first?.sensitivity, !cells.isEmpty else { return "" }
        var html = "<h2>Sensitivity to costs and rebalancing (Sharpe / final wealth)</h2><table><tr><th>allocator</th>"
        html += cells.map { "<th>\(format($0.feeBps)) bps, \($0.rebalance)</th>" }.joined() + "</tr>"
        for entry in entries {
            html += "<tr><td>\(SVGChart.escape(entry.name))</td>" + entry.sensitivity.map { "<td>\($0.sharpe.map { format($0) } ?? "–") / \(format($0.finalWealth))</td>" }.joined() + "</tr>"
        }
        return html + "</table>"
    }

    static func format(_ value: Double) -> String { String(format: Swift.abs(value) >= 100 ? "%.0f" : "%.3g", value) }
    static func percent(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }
}
