/// The human summary `regimen data validate` prints for a valid dataset.
package struct DatasetSummary {
    let dataset: Dataset

    package init(_ dataset: Dataset) { self.dataset = dataset }

    /// Assets, range, periods per year, listings, funding, features, futures, volume (with a
    /// warning where it is implausible), and the largest absolute one-period move of each
    /// asset (where bad data usually shows first).
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
        lines.append(contentsOf: futuresLines())
        lines.append(contentsOf: volumeLines())
        if !d.instruments.isEmpty {
            lines.append("  instruments (auto, carry window \(d.config.carryWindow) periods):")
            for name in d.assets where d.instruments[name]?.contains(where: { $0 != nil && $0 != .spot }) == true {
                let chosen = d.instruments[name]!
                let counts = Instrument.allCases.map { instrument in
                    "\(instrument.rawValue) \(chosen.filter { $0 == instrument }.count)"
                }
                let switches = chosen.indices.dropFirst().filter {
                    chosen[$0] != nil && chosen[$0 - 1] != nil && chosen[$0] != chosen[$0 - 1]
                }
                lines.append("    \(name): rows held through \(counts.joined(separator: ", ")); \(switches.count) switches")
            }
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

    /// Per underlying with contracts: how many, their closes' range, and on the rows where a
    /// contract is held, how many had no fresh close for it (stale) and the longest such run.
    private func futuresLines() -> [String] {
        let d = dataset
        guard !d.futures.isEmpty else { return ["  futures: none"] }
        var lines = ["  futures:"]
        for chain in d.futures {
            let closeRows = chain.contracts.flatMap(\.rows)
            let settlements = Set(chain.contracts.map(\.settlement.rawValue)).sorted().joined(separator: ", ")
            var line =
                "    \(chain.asset) (\(d.kind(of: chain.asset).rawValue)): \(chain.contracts.count) contracts (\(settlements))"
            if let first = closeRows.min(), let last = closeRows.max() {
                line += ", closes \(d.dates[first]) .. \(d.dates[last])"
            }
            let heldRows = chain.held.indices.filter { chain.held[$0] >= 0 }
            if let first = heldRows.first {
                var stale = 0
                var run = 0
                var longest = 0
                for row in heldRows {
                    let contract = chain.contracts[chain.held[row]]
                    let fresh = contract.isFresh(atRow: row)
                    run = fresh ? 0 : run + 1
                    stale += fresh ? 0 : 1
                    longest = Swift.max(longest, run)
                }
                line += "; held from \(d.dates[first]) (roll \(chain.rollDays) days before expiry)"
                line += ", \(stale) of \(heldRows.count) rows on a stale close (longest run \(longest))"
            } else {
                line += "; no contract can be held on any date"
            }
            lines.append(line)
        }
        return lines
    }

    private func format(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
