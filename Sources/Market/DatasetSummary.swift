/// The human summary `regimen data validate` prints for a valid dataset.
package struct DatasetSummary {
    let dataset: Dataset

    package init(_ dataset: Dataset) { self.dataset = dataset }

    /// Assets, range, periods per year, listings, funding, features, and the largest
    /// absolute one-period move of each asset (where bad data usually shows first).
    package func text(directory: String) -> String {
        let d = dataset
        var lines = ["\(directory): valid"]
        let kindOfRows = d.dates.allSatisfy(\.isDateOnly) ? "daily" : "intraday"
        lines.append("  assets: \(d.assets.count) (\(d.assets.joined(separator: ", ")))")
        lines.append("  range: \(d.dates.first!) .. \(d.dates.last!) (\(d.rowCount) rows, \(kindOfRows))")
        let source = d.config.periodsPerYear == nil ? "inferred from the dates" : "from dataset.yaml"
        lines.append("  periods per year: \(format(d.periodsPerYear)) (\(source))")
        lines.append(
            "  fee: \(d.config.feeBasisPoints.map { "\(format($0)) bps" } ?? "not set (0 unless --fee-bps)"); cash line: \(d.config.cash)"
        )
        lines.append("  listings: " + d.assets.enumerated().map { "\($1) \(d.dates[d.firstRows[$0]])" }.joined(separator: ", "))
        if d.funding.isEmpty {
            lines.append("  funding: none")
        } else {
            lines.append(
                "  funding: " + d.funding.map { "\($0.asset) (\($0.missingRows) rows without funding)" }.joined(separator: ", "))
        }
        if d.exogenous.isEmpty {
            lines.append("  features: none")
        } else {
            lines.append(
                "  features: "
                    + d.exogenous.map { series in
                        series.dates.isEmpty
                            ? "\(series.name) (no observations)"
                            : "\(series.name) \(series.dates.first!) .. \(series.dates.last!) (\(series.dates.count) observations)"
                    }.joined(separator: ", "))
        }
        lines.append("  largest absolute move per asset:")
        for (asset, name) in d.assets.enumerated() {
            var best: (move: Double, row: Int)?
            for row in (d.firstRows[asset] + 1)..<max(d.rowCount, d.firstRows[asset] + 1) {
                guard let now = d.price(row: row, asset: asset), let before = d.price(row: row - 1, asset: asset) else {
                    continue
                }
                let move = now / before - 1
                if best == nil || Swift.abs(move) > Swift.abs(best!.move) { best = (move, row) }
            }
            if let best {
                lines.append("    \(name): \(format(best.move * 100))% on \(d.dates[best.row])")
            } else {
                lines.append("    \(name): no returns yet")
            }
        }
        return lines.joined(separator: "\n")
    }

    private func format(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
