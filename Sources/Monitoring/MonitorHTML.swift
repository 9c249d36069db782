import Backtest
import Foundation
import Risk

/// `monitor.html`: one self-contained page (inline SVG and CSS, no scripts, no network) in
/// `report.html`'s style, rendered from the report's values only, so the page and
/// `monitor.json` cannot disagree.
package enum MonitorHTML {
    /// The page of `report`.
    package static func render(_ report: MonitorReport) -> String {
        var html = """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Regimen monitor: \(escape(report.model))</title>
            <style>
            body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:1100px;color:#222;padding:0 12px}
            h1{font-size:1.5em;margin-bottom:4px} h2{font-size:1.15em;margin-top:28px;border-bottom:1px solid #ddd;padding-bottom:4px}
            .meta{color:#555} table{border-collapse:collapse;font-size:13px;width:100%;margin:8px 0}
            th,td{padding:4px 6px;text-align:right;border-bottom:1px solid #eee} th:first-child,td:first-child{text-align:left}
            td.alert{font-weight:700;background:#fbeaea} .chart{width:100%;height:auto;background:#fafafa;border:1px solid #eee}
            .chart text{font-size:11px;fill:#444} .note{color:#666;font-size:13px} .ok{color:#2a7a2a}
            </style></head><body>
            <h1>Regimen monitor</h1>
            <p class="meta">Model \(escape(report.model)) · history \(report.history.from) to \(report.history.to) (\(report.history.count) files) · window \(report.window.from) to \(report.window.to) (\(report.window.count) rows)\(report.train.map { " · training range \($0.from) to \($0.to)" } ?? "")</p>

            """
        html += alerts(report.alerts)
        html += live(report.live)
        html += parity(report.parity)
        html += drift(report.drift)
        html += regimes(report.regimes)
        html += limits(report.limits)
        return html + "</body></html>\n"
    }

    /// The alerts, or a line saying there are none.
    static func alerts(_ alerts: [MonitorReport.Alert]) -> String {
        guard !alerts.isEmpty else { return "<h2>Alerts</h2><p class=\"ok\">None.</p>" }
        let rows = alerts.map {
            "<tr><td>\($0.kind)</td><td>\(escape($0.subject))</td><td class=\"alert\">\($0.value.map(format) ?? "refused")</td><td>\(format($0.threshold))</td></tr>"
        }
        return "<h2>Alerts (\(alerts.count))</h2><table><tr><th>kind</th><th>subject</th><th>value</th><th>threshold</th></tr>"
            + rows.joined() + "</table>"
    }

    /// The live metrics and the wealth path.
    static func live(_ file: BacktestFile?) -> String {
        guard let file else { return "<h2>Live</h2><p class=\"note\">Fewer than 2 returns so far.</p>" }
        let m = file.metrics
        let cells = [
            ("final wealth", format(m.finalWealth)), ("CAGR", percent(m.cagr)), ("vol (annual)", percent(m.volAnnual)),
            ("Sharpe", m.sharpe.map(format) ?? "–"), ("max drawdown", percent(m.maxDrawdown)),
            ("costs paid", percent(file.costsPaid)), ("funding paid", percent(file.fundingPaid)),
        ]
        return "<h2>Live: the weights written, \(file.start) to \(file.end)</h2><table><tr>"
            + cells.map { "<th>\($0.0)</th>" }.joined() + "</tr><tr>" + cells.map { "<td>\($0.1)</td>" }.joined()
            + "</tr></table>" + polyline(id: "wealth", values: file.series.map(\.wealth))
    }

    /// The parity summary and every date that differs.
    static func parity(_ block: MonitorReport.ParityBlock) -> String {
        let differing = block.days.filter { ($0.maxAbsDifference ?? .infinity) > 0 }
        var html =
            "<h2>Parity: written against replayed on today's data</h2><p class=\"note\">Largest difference \(format(block.maxAbsDifference))\(block.date.map { " on \($0)" } ?? "")\(block.asset.map { " (\(escape($0)))" } ?? ""); \(differing.count) of \(block.days.count) dates differ.</p>"
        guard !differing.isEmpty else { return html }
        html += "<table><tr><th>date</th><th>version</th><th>largest difference</th><th>line</th></tr>"
        for day in differing {
            html +=
                "<tr><td>\(day.date)</td><td>\(escape(day.version))</td><td class=\"alert\">\(day.maxAbsDifference.map(format) ?? escape(day.refusal ?? ""))</td><td>\(escape(day.asset ?? ""))</td></tr>"
        }
        return html + "</table>"
    }

    /// Every feature's PSI, with a bar.
    static func drift(_ block: MonitorReport.DriftBlock) -> String {
        var html =
            "<h2>Feature drift (PSI against the training range; alert above \(format(block.threshold)))</h2><table><tr><th>feature</th><th>scope</th><th>PSI</th><th>train values</th><th>window values</th><th></th></tr>"
        for feature in block.features {
            let psi = feature.psi
            let width = Int((min(psi ?? 0, 1) * 200).rounded())
            let alert = (psi ?? 0) > block.threshold
            html +=
                "<tr><td>\(escape(feature.feature))</td><td>\(feature.scope)</td><td\(alert ? " class=\"alert\"" : "")>\(psi.map(format) ?? "–")</td><td>\(feature.trainCount)</td><td>\(feature.windowCount)</td><td><svg width=\"200\" height=\"10\"><rect width=\"\(width)\" height=\"10\" fill=\"\(alert ? "#c0392b" : "#4a7ab5")\"/></svg></td></tr>"
        }
        return html + "</table>"
    }

    /// Regime shares, window against training.
    static func regimes(_ labels: [RegimeShares.Label]) -> String {
        guard !labels.isEmpty else { return "<h2>Regimes</h2><p class=\"note\">No regime labels.</p>" }
        return "<h2>Regimes</h2><table><tr><th>label</th><th>window share</th><th>training share</th></tr>"
            + labels.map {
                "<tr><td>\(escape($0.label))</td><td>\($0.windowShare.map(percent) ?? "–")</td><td>\($0.trainShare.map(percent) ?? "–")</td></tr>"
            }.joined() + "</table>"
    }

    /// How often each limit bound.
    static func limits(_ block: MonitorReport.LimitsBlock) -> String {
        guard !block.binding.isEmpty else {
            return "<h2>Limits</h2><p class=\"note\">No limit bound in the window's \(block.files) files.</p>"
        }
        return "<h2>Limits</h2><table><tr><th>limit</th><th>files it bound in</th><th>share</th></tr>"
            + block.binding.sorted { $0.key < $1.key }.map {
                "<tr><td>\(escape($0.key))</td><td>\($0.value)</td><td>\(percent(Double($0.value) / Double(block.files)))</td></tr>"
            }.joined() + "</table>"
    }

    /// A line chart of `values` (one point per period), scaled to its range.
    static func polyline(id: String, values: [Double]) -> String {
        guard let low = values.min(), let high = values.max(), values.count > 1 else { return "" }
        let (width, height) = (1000.0, 200.0)
        let span = high > low ? high - low : 1
        let points = values.enumerated().map { index, value in
            let x = Double(index) / Double(values.count - 1) * width
            let y = height - (value - low) / span * (height - 20) - 10
            return "\(format(x)),\(format(y))"
        }
        return
            "<svg id=\"\(id)\" class=\"chart\" viewBox=\"0 0 \(Int(width)) \(Int(height))\"><polyline fill=\"none\" stroke=\"#4a7ab5\" stroke-width=\"1.5\" points=\"\(points.joined(separator: " "))\"/><text x=\"4\" y=\"14\">\(format(high))</text><text x=\"4\" y=\"\(Int(height) - 4)\">\(format(low))</text></svg>"
    }

    /// `value` with 4 significant digits.
    static func format(_ value: Double) -> String { String(format: "%.4g", value) }

    /// `value` as a percentage with 2 decimals.
    static func percent(_ value: Double) -> String { String(format: "%.2f%%", value * 100) }

    /// HTML-escapes `text`.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
