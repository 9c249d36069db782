import Market
import Regimes
import Support

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
                    guard let ra = dataset.simpleReturn(row: row, asset: a), let rb = dataset.simpleReturn(row: row, asset: b)
                    else { continue }
                    x.append(ra)
                    y.append(rb)
                }
                guard x.count >= 3 else { continue }
                let (sxy, sxx, syy) = Statistics.jointMoments(x[...], y[...])
                guard sxx > 0 && syy > 0 else { continue }
                total += sxy / (sxx * syy).squareRoot()
                pairs += 1
            }
        }
        return pairs > 0 ? total / Double(pairs) : nil
    }
}
