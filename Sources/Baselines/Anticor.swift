import Foundation

/// Anticor (Borodin, El-Yaniv and Gogan 2004), the experts' combination as in Li and Hoi's
/// OLPS toolbox, exactly as contract Appendix A writes it: one expert's update from the
/// last 2w log relatives (`OnlinePortfolio` runs the experts and combines them by wealth).
enum Anticor {
    static func update(_ b: [Double], logs: [[Double]], known k: Int, window w: Int) -> [Double] {
        let m = b.count
        let first = Array(logs[(k - 2 * w)..<(k - w)])
        let second = Array(logs[(k - w)..<k])
        func column(_ rows: [[Double]], _ i: Int) -> [Double] { rows.map { $0[i] } }
        let mu1 = (0..<m).map { column(first, $0).reduce(0, +) / Double(w) }
        let mu2 = (0..<m).map { column(second, $0).reduce(0, +) / Double(w) }
        let sd1 = (0..<m).map { i in
            (column(first, i).reduce(0) { $0 + ($1 - mu1[i]) * ($1 - mu1[i]) } / Double(w - 1)).squareRoot()
        }
        let sd2 = (0..<m).map { i in
            (column(second, i).reduce(0) { $0 + ($1 - mu2[i]) * ($1 - mu2[i]) } / Double(w - 1)).squareRoot()
        }
        var correlation = [Double](repeating: 0, count: m * m)
        for i in 0..<m {
            for j in 0..<m where sd1[i] > 0 && sd2[j] > 0 {
                var covariance = 0.0
                for t in 0..<w { covariance += (first[t][i] - mu1[i]) * (second[t][j] - mu2[j]) }
                correlation[i * m + j] = covariance / Double(w - 1) / (sd1[i] * sd2[j])
            }
        }
        var claim = [Double](repeating: 0, count: m * m)
        for i in 0..<m {
            for j in 0..<m where mu2[i] >= mu2[j] && correlation[i * m + j] > 0 {
                claim[i * m + j] = correlation[i * m + j] + max(0, -correlation[i * m + i]) + max(0, -correlation[j * m + j])
            }
        }
        var next = b
        for i in 0..<m {
            let total = (0..<m).reduce(0) { $0 + claim[i * m + $1] }
            guard total > 0 else { continue }
            for j in 0..<m {
                let transfer = b[i] * claim[i * m + j] / total
                next[i] -= transfer
                next[j] += transfer
            }
        }
        return next
    }
}
