import Foundation

/// The volume part of `regimen data validate`'s summary: each asset's median dollar volume
/// per period, and a warning where it is beyond any market's, which is what `ohlcv.csv` read
/// in the wrong unit looks like (a pair's USD volume read as units of the asset is multiplied
/// by the price: Bitcoin's then reaches 1e13 dollars a day, and market impact nearly vanishes).
extension DatasetSummary {
    /// Dollar volume in one period beyond which no market trades (the largest spot markets
    /// trade well under 1e11 dollars a day).
    package static let implausibleDollarVolume = 1e12

    /// The `volume:` line, and where some asset's dollar volume exceeds
    /// `implausibleDollarVolume` in a period, a warning naming each such asset with its first
    /// such period, and a hint on the unit.
    func volumeLines() -> [String] {
        let d = dataset
        guard d.dollarVolumes != nil else { return ["  volume: none (no ohlcv.csv: no market impact)"] }
        var medians: [String] = []
        var implausible: [String] = []
        for (asset, name) in d.assets.enumerated() {
            let volumes = (0..<d.rowCount).compactMap { d.dollarVolume(row: $0, asset: asset) }
            medians.append("\(name) \(volumes.isEmpty ? "none" : scientific(median(volumes)))")
            let beyond = (0..<d.rowCount).first { (d.dollarVolume(row: $0, asset: asset) ?? 0) > Self.implausibleDollarVolume }
            if let row = beyond {
                implausible.append("\(name) \(scientific(d.dollarVolume(row: row, asset: asset)!)) on \(d.dates[row])")
            }
        }
        let unit = d.config.volumeUnit == .quote ? "in USD (volume_unit: quote)" : "in units of the asset (volume_unit: base)"
        let lines = ["  volume (ohlcv.csv, \(unit)): median dollar volume per period: " + medians.joined(separator: ", ")]
        guard !implausible.isEmpty else { return lines }
        let hint =
            d.config.volumeUnit == .base
            ? "is ohlcv.csv's volume in USD already (as Yahoo's and the shared real data's)? Then set volume_unit: quote in dataset.yaml"
            : "check ohlcv.csv's volume column"
        return lines + [
            "  warning: dollar volume beyond any market's in a period (\(scientific(Self.implausibleDollarVolume))), first reached: "
                + implausible.joined(separator: ", "),
            "  warning: \(hint); read as it is, market impact is understated",
        ]
    }

    private func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// Three significant digits, as `2.51e+09`.
    private func scientific(_ value: Double) -> String { String(format: "%.3g", value) }
}
