import Market
import Regimes

/// Descriptions of regimes on a dataset.
package enum RegimeStatistics {
    /// The mean pairwise correlation of the assets' simple returns over `rows` (rows where
    /// both assets of a pair have a return), nil with fewer than 2 assets or 3 rows.
    package static func averageCorrelation(_ dataset: Dataset, rows: [Int]) -> Double? {
        let n = dataset.assets.count
        var total = 0.0
        var pairs = 0
        for a in 0..<n {
            for b in (a + 1)..<max(n, a + 1) {
                var x: [Double] = []
                var y: [Double] = []
                for row in rows where row > 0 {
                    guard let pa = dataset.price(row: row, asset: a), let qa = dataset.price(row: row - 1, asset: a),
                        let pb = dataset.price(row: row, asset: b), let qb = dataset.price(row: row - 1, asset: b)
                    else { continue }
                    x.append(pa / qa - 1)
                    y.append(pb / qb - 1)
                }
                guard x.count >= 3 else { continue }
                let mx = x.reduce(0, +) / Double(x.count)
                let my = y.reduce(0, +) / Double(y.count)
                var sxy = 0.0
                var sxx = 0.0
                var syy = 0.0
                for (u, v) in zip(x, y) {
                    sxy += (u - mx) * (v - my)
                    sxx += (u - mx) * (u - mx)
                    syy += (v - my) * (v - my)
                }
                guard sxx > 0 && syy > 0 else { continue }
                total += sxy / (sxx * syy).squareRoot()
                pairs += 1
            }
        }
        return pairs > 0 ? total / Double(pairs) : nil
    }
}
