extension ReportHTML {
    /// The capacity section (`--aum`): Sharpe against the starting capital on a log axis (chart
    /// id `capacity`; a capital of 0 has no place on it and is in the table only), then each
    /// allocator's Sharpe, CAGR and costs at each capital, in increasing capital. Empty without
    /// `--aum`.
    static func capacitySection(_ report: ReportFile, names: [String], strong: Set<String>) -> String {
        guard let rows = report.capacity, let headline = report.aum else { return "" }
        var cells: [String: [Double: Comparison.CapacityCell]] = [:]
        for row in rows { cells[row.allocator, default: [:]][row.cell.aum] = row.cell }
        let levels = Set(rows.map(\.cell.aum)).sorted()
        let plotted = levels.filter { $0 > 0 }
        var html =
            "<h2>Capacity: Sharpe against assets under management (log scale)</h2><p class=\"note\">Each allocator rerun with the same dates, fee, schedule and limits, paying square-root market impact on the data's volume for a fund that starts with each capital (its trades grow with its wealth). The metrics above and the verdict are at $\(SVGChart.dollars(headline)), the first capital listed.</p>"
        html += SVGChart.capacity(
            id: "capacity", levels: plotted,
            series: names.map { name in (name, plotted.map { cells[name]?[$0]?.sharpe }) }, strong: strong,
            format: { format($0) })
        html +=
            "<table><tr><th>allocator (Sharpe / CAGR / costs)</th>"
            + levels.map { "<th>$\(SVGChart.dollars($0))\($0 == headline ? " (evaluated)" : "")</th>" }.joined() + "</tr>"
        for name in names {
            html += "<tr><td>\(SVGChart.escape(name))</td>"
            for level in levels {
                guard let cell = cells[name]?[level] else {
                    html += "<td>–</td>"
                    continue
                }
                html += "<td>\(cell.sharpe.map { format($0) } ?? "–") / \(percent(cell.cagr)) / \(percent(cell.costsPaid))</td>"
            }
            html += "</tr>"
        }
        return html + "</table>"
    }
}
