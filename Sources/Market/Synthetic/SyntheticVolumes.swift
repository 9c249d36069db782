import Foundation
import Support

/// `ohlcv.csv` for the synthetic market (`data synth`): assets that differ in liquidity, so
/// market impact (contract section 11) shows on the default data.
///
/// Asset i of n trades about `10^(9.5 - 2.5 i / (n - 1))` USD a day (SYN1 about 3e9, the last
/// about 300 times less), times a factor `exp(0.3 z)` of its own. A day's dollar volume is that
/// level times a persistent activity (an AR(1) in logs, `a += 0.15 (z - a)`), the day's own
/// noise `exp(0.25 z)`, and `0.5 + 25 |r|` for the day's return r (trading is busier on large
/// moves, as in a crisis). Volume is written in units of the asset (dollar volume / close), so
/// the dataset needs no `volume_unit`; the close is `prices.csv`'s, the open the previous close,
/// and the high and low lie beyond open and close by a fraction of the day's move. Drawn from
/// a generator of its own, so adding the file leaves the prices and every other file byte for
/// byte unchanged.
enum SyntheticVolumes {
    /// The daily dollar volume of asset `asset` of `count`, before its own factor and the day's.
    static func level(asset: Int, count: Int) -> Double {
        Foundation.pow(10, 9.5 - 2.5 * Double(asset) / Double(Swift.max(count - 1, 1)))
    }

    /// `ohlcv.csv`'s text for the assets `names`, whose closes per row are `closes` (the text
    /// of `prices.csv`'s cells, nil before listing), sorted by date then asset.
    static func csv(dates: [Timestamp], names: [String], closes: [[String?]], seed: UInt64) -> String {
        var g = SeededGenerator(seed: seed ^ 0x0B00_C0DE)
        let n = names.count
        let levels = (0..<n).map { level(asset: $0, count: n) * Foundation.exp(0.3 * g.nextStandardNormal()) }
        var activity = [Double](repeating: 0, count: n)
        var previous = [(text: String, value: Double)?](repeating: nil, count: n)
        var text = "date,asset,open,high,low,close,volume\n"
        for (row, date) in dates.enumerated() {
            for asset in 0..<n {
                guard let closeText = closes[row][asset], let close = DecimalNumber.parse(closeText) else { continue }
                let open = previous[asset] ?? (closeText, close)
                let move = close / open.value - 1
                activity[asset] += 0.15 * (g.nextStandardNormal() - activity[asset])
                let dollars =
                    levels[asset] * Foundation.exp(activity[asset] + 0.25 * g.nextStandardNormal()) * (0.5 + 25 * Swift.abs(move))
                let reach = 0.3 * Swift.max(Swift.abs(move), 0.005)
                let high = Swift.max(open.value, close) * Foundation.exp(reach * Swift.abs(g.nextStandardNormal()))
                let low = Swift.min(open.value, close) * Foundation.exp(-reach * Swift.abs(g.nextStandardNormal()))
                text += "\(date),\(names[asset]),\(open.text),\(DatasetFiles.number(high, significant: 8)),"
                text += "\(DatasetFiles.number(low, significant: 8)),\(closeText),\(volume(dollars / close))\n"
                previous[asset] = (closeText, close)
            }
        }
        return text
    }

    /// A volume's text: whole units from 1e5 on (no exponent), else 6 significant digits.
    static func volume(_ units: Double) -> String {
        units >= 1e5 ? String(format: "%.0f", units) : DatasetFiles.number(units, significant: 6)
    }
}
