import Foundation
import Support

/// Dated futures for the synthetic market (`data synth --futures K`): monthly contracts
/// expiring on the last Friday of each month, each listed about three months before its
/// expiry, priced off the asset's spot close with a basis that has regimes of its own.
///
/// Per asset, the basis regime is a two-state Markov chain (contango: an annualised basis
/// around +12%; backwardation: around -8%; each kept with probability 0.98 a day); the
/// annualised basis follows it as an AR(1) (`b += 0.1 (target - b) + 0.01 z`), and a contract
/// with T days left closes at `S (1 + b T / 365) (1 + 0.0005 z)`. About 3% of a contract's days
/// have no row (a stale close), never its expiry day. Drawn from its own generator, so adding
/// futures leaves the prices and every other file byte for byte unchanged.
struct SyntheticFutures {
    /// Contango and backwardation: target annualised basis and the chance of staying a day.
    static let basisRegimes: [(target: Double, stay: Double)] = [(0.12, 0.98), (-0.08, 0.98)]
    /// CME's month codes, January to December.
    static let monthCodes = Array("FGHJKMNQUVXZ")
    /// Days before its expiry that a contract lists.
    static let listingDays = 92

    /// `futures.csv`'s text for `assets` (name, spot close per row, first row).
    static func csv(dates: [Timestamp], assets: [(name: String, spot: [Double], listing: Int)], seed: UInt64) -> String {
        var g = SeededGenerator(seed: seed ^ 0x5EED_F07E)
        let expiries = lastFridays(from: dates.first!, through: dates.last!)
        var lines: [String] = []
        var regimes = [Int](repeating: 0, count: assets.count)
        var basis = assets.map { _ in basisRegimes[0].target }
        for (row, date) in dates.enumerated() {
            for (k, asset) in assets.enumerated() where row >= asset.listing {
                if g.nextUnitInterval() > basisRegimes[regimes[k]].stay { regimes[k] = 1 - regimes[k] }
                basis[k] += 0.1 * (basisRegimes[regimes[k]].target - basis[k]) + 0.01 * g.nextStandardNormal()
                for expiry in expiries where expiry >= date {
                    let days = Double(expiry.secondsSinceEpoch - date.secondsSinceEpoch) / 86_400
                    guard days <= Double(listingDays) else { break }
                    let noise = 1 + 0.0005 * g.nextStandardNormal()
                    let skipped = g.nextUnitInterval() < 0.03 && days > 0
                    guard !skipped else { continue }
                    let close = asset.spot[row] * (1 + basis[k] * days / 365) * noise
                    lines.append(
                        "\(date),\(asset.name),\(contractName(asset.name, expiry)),\(expiry),\(DatasetFiles.number(close, significant: 8))"
                    )
                }
            }
        }
        return "date,asset,contract,expiry,close\n" + lines.map { $0 + "\n" }.joined()
    }

    /// `SYN3H18`: the asset, the month code and the year's last two digits.
    static func contractName(_ asset: String, _ expiry: Timestamp) -> String {
        let (year, month, _) = expiry.civilDate
        return "\(asset)\(monthCodes[month - 1])\(String(format: "%02d", year % 100))"
    }

    /// The last Friday of every month from `first`'s month to the month after `last`'s
    /// (so the last dates still have a contract beyond the roll window).
    static func lastFridays(from first: Timestamp, through last: Timestamp) -> [Timestamp] {
        var (year, month, _) = first.civilDate
        let (endYear, endMonth, _) = last.civilDate
        var result: [Timestamp] = []
        while (year, month) <= (endMonth == 12 ? endYear + 1 : endYear, endMonth == 12 ? 1 : endMonth + 1) {
            let next = month == 12 ? Timestamp(year: year + 1, month: 1, day: 1) : Timestamp(year: year, month: month + 1, day: 1)
            var day = Timestamp(secondsSinceEpoch: next.secondsSinceEpoch - 86_400, isDateOnly: true)
            while day.weekday != 4 { day = Timestamp(secondsSinceEpoch: day.secondsSinceEpoch - 86_400, isDateOnly: true) }
            result.append(day)
            (year, month) = month == 12 ? (year + 1, 1) : (year, month + 1)
        }
        return result
    }
}
