import Foundation

/// Hierarchical risk parity (Lopez de Prado 2016), the contract's exact variant: distance
/// `d_ij = sqrt((1 - rho_ij) / 2)`; single linkage on d itself; leaves in the dendrogram's
/// left-to-right order (SciPy's `leaves_list`, no optimal reordering); bisection of the
/// ordered list into its first `floor(k/2)` items and the rest; cluster variance
/// `u^T Sigma_c u` with inverse-variance `u`; the left half gets `1 - v_l / (v_l + v_r)`.
enum HierarchicalRiskParity {
    static func weights(_ sigma: [Double], order m: Int) -> [Double] {
        guard m > 1 else { return [1] }
        let sd = (0..<m).map { sigma[$0 * m + $0].squareRoot() }
        var distance = [Double](repeating: 0, count: m * m)
        for i in 0..<m {
            for j in 0..<m where i != j {
                let rho = sd[i] > 0 && sd[j] > 0 ? sigma[i * m + j] / (sd[i] * sd[j]) : 0
                distance[i * m + j] = (max(0, (1 - min(rho, 1)) / 2)).squareRoot()
            }
        }
        let order = leafOrder(distance, m)
        var weights = [Double](repeating: 1, count: m)
        var clusters: [[Int]] = [order]
        while !clusters.isEmpty {
            var next: [[Int]] = []
            for cluster in clusters where cluster.count > 1 {
                let left = Array(cluster[..<(cluster.count / 2)])
                let right = Array(cluster[(cluster.count / 2)...])
                let vl = clusterVariance(sigma, m, left)
                let vr = clusterVariance(sigma, m, right)
                let alpha = 1 - vl / (vl + vr)
                for i in left { weights[i] *= alpha }
                for i in right { weights[i] *= 1 - alpha }
                next += [left, right]
            }
            clusters = next
        }
        return weights
    }

    /// Single-linkage agglomeration (merging the closest pair of clusters, the smaller id
    /// on the left, new clusters numbered m, m+1, ... as SciPy does), then a pre-order walk.
    static func leafOrder(_ distance: [Double], _ m: Int) -> [Int] {
        var members: [Int: [Int]] = [:]
        for i in 0..<m { members[i] = [i] }
        var children: [Int: (Int, Int)] = [:]
        var nextID = m
        while members.count > 1 {
            let ids = members.keys.sorted()
            var best = (distance: Double.infinity, a: 0, b: 0)
            for (x, a) in ids.enumerated() {
                for b in ids[(x + 1)...] {
                    var d = Double.infinity
                    for i in members[a]! { for j in members[b]! { d = min(d, distance[i * m + j]) } }
                    if d < best.distance { best = (d, a, b) }
                }
            }
            children[nextID] = (min(best.a, best.b), max(best.a, best.b))
            members[nextID] = members[best.a]! + members[best.b]!
            members[best.a] = nil
            members[best.b] = nil
            nextID += 1
        }
        func leaves(_ node: Int) -> [Int] {
            guard let (left, right) = children[node] else { return [node] }
            return leaves(left) + leaves(right)
        }
        return leaves(nextID - 1)
    }

    static func clusterVariance(_ sigma: [Double], _ m: Int, _ cluster: [Int]) -> Double {
        let inverse = cluster.map { 1 / sigma[$0 * m + $0] }
        let total = inverse.reduce(0, +)
        let u = inverse.map { $0 / total }
        var variance = 0.0
        for (a, i) in cluster.enumerated() {
            for (b, j) in cluster.enumerated() { variance += u[a] * sigma[i * m + j] * u[b] }
        }
        return variance
    }
}
