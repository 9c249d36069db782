/// The probability of backtest overfitting by combinatorially symmetric cross-validation
/// (Bailey, Borwein, Lopez de Prado and Zhu 2014): split the periods into S contiguous
/// blocks; for every choice of S/2 blocks as in-sample, take the configuration with the best
/// in-sample Sharpe and find the relative rank `omega` of its out-of-sample Sharpe; PBO is
/// the share of choices whose logit `ln(omega / (1 - omega))` is at most 0.
package enum BacktestOverfitting {
    /// - Parameters:
    ///   - returns: `[t][configuration]`, T rows of N >= 2 configurations.
    ///   - blocks: S, even, at most T.
    /// - Returns: PBO and the number of combinations.
    package static func probability(_ returns: [[Double]], blocks: Int = 16) -> (pbo: Double, combinations: Int) {
        let t = returns.count
        let n = returns.first?.count ?? 0
        precondition(
            n >= 2 && blocks >= 2 && blocks % 2 == 0 && blocks <= t, "PBO: need N >= 2 configurations and an even S <= T")
        let size = t / blocks
        let ranges = (0..<blocks).map { b in (b * size)..<(b == blocks - 1 ? t : (b + 1) * size) }
        var below = 0
        var total = 0
        for chosen in combinations(blocks, blocks / 2) {
            let inSample = Set(chosen)
            let rowsIn = (0..<blocks).filter { inSample.contains($0) }.flatMap { ranges[$0] }
            let rowsOut = (0..<blocks).filter { !inSample.contains($0) }.flatMap { ranges[$0] }
            let sharpeIn = (0..<n).map { k in SharpeStatistics.sharpe(rowsIn.map { returns[$0][k] }) ?? -.infinity }
            let sharpeOut = (0..<n).map { k in SharpeStatistics.sharpe(rowsOut.map { returns[$0][k] }) ?? -.infinity }
            let best = sharpeIn.indices.max { sharpeIn[$0] < sharpeIn[$1] || (sharpeIn[$0] == sharpeIn[$1] && $0 > $1) }!
            // Average rank on ties: 1 = worst.
            let value = sharpeOut[best]
            let lowerCount = sharpeOut.filter { $0 < value }.count
            let equal = sharpeOut.filter { $0 == value }.count
            let rank = Double(lowerCount) + Double(equal + 1) / 2
            let omega = rank / Double(n + 1)
            if omega / (1 - omega) <= 1 { below += 1 }
            total += 1
        }
        return (Double(below) / Double(total), total)
    }

    /// All k-subsets of 0..<n, in lexicographic order.
    static func combinations(_ n: Int, _ k: Int) -> [[Int]] {
        var result: [[Int]] = []
        var current: [Int] = []
        func extend(_ start: Int) {
            if current.count == k {
                result.append(current)
                return
            }
            guard start < n else { return }
            for i in start..<n where n - i >= k - current.count {
                current.append(i)
                extend(i + 1)
                current.removeLast()
            }
        }
        extend(0)
        return result
    }
}
