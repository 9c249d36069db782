import Risk

/// Turns raw target weights into weights that satisfy every hard limit (contract section 6).
///
/// Order and method:
/// 1. `long_only`, per-asset caps (`max_weight`, `asset_max`) and the budget (`max_gross`,
///    `regime_max_gross`, `1 - min_cash`): the exact Euclidean projection onto the box
///    intersected with the budget (a water-filling threshold found by bisection to 1e-15).
///    Without `long_only`, gross is an L1 budget and a net budget above `1 - min_cash`
///    scales the sleeve toward cash.
/// 2. `target_vol` and `max_es`: the risky sleeve is scaled toward cash. Exact, not merely
///    conservative: ex-ante volatility and historical ES are positively homogeneous in the
///    weights, so the scale factor `cap / value` lands on the cap; and scaling toward 0
///    keeps the step-1 limits (their feasible sets are convex and contain 0).
/// 3. `max_turnover` last: move from the previous weights toward the limited target by the
///    largest step the turnover cap allows, but never to a point that breaks a hard limit
///    (hard-feasible points on that segment form an interval ending at the target, found
///    by bisection); when turnover had to give, it is listed as relaxed.
/// Deterministic; cash is `1 - sum(weights)`.
package enum LimitEnforcer {
    /// The outcome.
    package struct Result: Sendable, Equatable {
        /// Weights per asset (cash is `1 - sum`).
        package let weights: [Double]
        /// Limits that changed the weights.
        package let binding: [String]
        /// Soft limits that had to give to hard ones.
        package let relaxed: [String]
    }

    /// Applies `limits` to `raw` weights.
    /// - Parameters:
    ///   - assets: asset names, aligned with `raw`.
    ///   - previous: the weights held (drifted), for turnover; nil skips the turnover limit.
    ///   - returns: recent simple returns `[t][asset]` for volatility and ES limits.
    ///   - regime: the current regime label, for `regime_max_gross`.
    ///   - periodsPerYear: to annualise volatility.
    /// - Precondition: finite raw weights of the assets' count.
    package static func apply(
        _ raw: [Double], assets: [String], limits: RiskLimits, previous: [Double]?, returns: [[Double]],
        regime: String?, periodsPerYear: Double
    ) -> Result {
        precondition(raw.count == assets.count && raw.allSatisfy(\.isFinite), "LimitEnforcer: raw weights must be finite, one per asset")
        var binding: [String] = []
        let caps = assets.map { name in [limits.maxWeight, limits.assetMax[name]].compactMap { $0 }.min() ?? .infinity }
        let budgets: [(String, Double)] = [
            ("max_gross", limits.maxGross), ("regime_max_gross", regime.flatMap { limits.regimeMaxGross[$0] }),
            ("min_cash", limits.minCash.map { 1 - $0 } ?? 1),
        ].compactMap { name, value in value.map { (name, $0) } }
        var w = projectBoxAndBudget(raw, caps: caps, longOnly: limits.longOnly, budgets: budgets, binding: &binding, assets: assets, limits: limits)
        let covariance = returns.count >= 2 && !assets.isEmpty ? CovarianceEstimator.sample.estimate(returns) : nil
        if let target = limits.targetVolatility, let covariance {
            let vol = (covariance.variance(of: w) * periodsPerYear).squareRoot()
            if vol > target * (1 + 1e-12) {
                w = w.map { $0 * target / vol }
                binding.append("target_vol")
            }
        }
        if let cap = limits.maxExpectedShortfall, returns.count >= 2 {
            let es = expectedShortfall(w, returns, limits.esConfidence)
            if es > cap * (1 + 1e-12) {
                w = w.map { $0 * cap / es }
                binding.append("max_es")
            }
        }
        var relaxed: [String] = []
        if let cap = limits.maxTurnover, let previous {
            let turnover = zip(w, previous).reduce(0) { $0 + Swift.abs($1.0 - $1.1) }
            if turnover > cap * (1 + 1e-12) {
                var theta = cap / turnover
                let candidate = { (t: Double) in zip(previous, w).map { $0 + t * ($1 - $0) } }
                if !satisfiesHard(candidate(theta), caps: caps, budgets: budgets, limits: limits, covariance: covariance, returns: returns, periodsPerYear: periodsPerYear, tolerance: 1e-12) {
                    var low = theta, high = 1.0
                    for _ in 0..<60 {
                        let middle = (low + high) / 2
                        if satisfiesHard(candidate(middle), caps: caps, budgets: budgets, limits: limits, covariance: covariance, returns: returns, periodsPerYear: periodsPerYear, tolerance: 1e-12) {
                            high = middle
                        } else {
                            low = middle
                        }
                    }
                    theta = high
                    relaxed.append("max_turnover")
                }
                w = candidate(theta)
                binding.append("max_turnover")
            }
        }
        return Result(weights: w, binding: binding, relaxed: relaxed)
    }

    /// Whether `w` satisfies every hard limit, within `tolerance` (relative for volatility
    /// and ES, absolute for weights). The enforcer itself works to 1e-12.
    package static func satisfiesHard(
        _ w: [Double], caps: [Double], budgets: [(String, Double)], limits: RiskLimits, covariance: CovarianceEstimate?,
        returns: [[Double]], periodsPerYear: Double, tolerance: Double = 1e-9
    ) -> Bool {
        if limits.longOnly && w.contains(where: { $0 < -tolerance }) { return false }
        if zip(w, caps).contains(where: { Swift.abs($0) > $1 + tolerance }) { return false }
        let gross = w.reduce(0) { $0 + Swift.abs($1) }, net = w.reduce(0, +)
        for (name, value) in budgets {
            let used = name == "min_cash" ? net : gross
            if used > value + tolerance { return false }
        }
        if let target = limits.targetVolatility, let covariance, (covariance.variance(of: w) * periodsPerYear).squareRoot() > target * (1 + tolerance) {
            return false
        }
        if let cap = limits.maxExpectedShortfall, returns.count >= 2, expectedShortfall(w, returns, limits.esConfidence) > cap * (1 + tolerance) {
            return false
        }
        return true
    }

    /// Historical ES of the constant-mix portfolio over `returns`.
    static func expectedShortfall(_ w: [Double], _ returns: [[Double]], _ confidence: Double) -> Double {
        let portfolio = returns.map { row in zip(row, w).reduce(0) { $0 + $1.0 * $1.1 } }
        let threshold = Statistics.quantile(portfolio, 1 - confidence)
        return -Statistics.mean(portfolio.filter { $0 <= threshold })
    }

    /// Step 1: the projection onto caps and budgets (see the type's documentation).
    static func projectBoxAndBudget(
        _ raw: [Double], caps: [Double], longOnly: Bool, budgets: [(String, Double)], binding: inout [String], assets: [String], limits: RiskLimits
    ) -> [Double] {
        let lower = caps.map { longOnly ? 0 : -$0 }
        var w = zip(raw, zip(lower, caps)).map { min(max($0, $1.0), $1.1) }
        if longOnly && raw.contains(where: { $0 < 0 }) { binding.append("long_only") }
        for (index, value) in raw.enumerated() where Swift.abs(value) > caps[index] {
            binding.append(limits.assetMax[assets[index]] != nil && limits.assetMax[assets[index]]! <= (limits.maxWeight ?? .infinity)
                ? "asset_max:\(assets[index])" : "max_weight")
        }
        let grossCap = budgets.filter { $0.0 != "min_cash" }.map(\.1).min() ?? .infinity
        let netCap = budgets.first { $0.0 == "min_cash" }?.1 ?? 1
        if longOnly {
            let cap = min(grossCap, netCap)
            if w.reduce(0, +) > cap {
                w = waterFill(raw, lower: lower, upper: caps, total: cap) { Swift.abs($0) }
                binding.append(contentsOf: budgets.filter { $0.1 <= cap + 1e-15 }.map(\.0).prefix(1))
            }
        } else {
            if w.reduce(0, { $0 + Swift.abs($1) }) > grossCap {
                w = waterFill(raw, lower: lower, upper: caps, total: grossCap) { Swift.abs($0) }
                binding.append(budgets.first { $0.1 == grossCap }!.0)
            }
            let net = w.reduce(0, +)
            if net > netCap {
                w = w.map { $0 * netCap / net }
                binding.append("min_cash")
            }
        }
        return w
    }

    /// `clip(sign(v) max(|v| - tau, 0), lower, upper)` with tau >= 0 chosen by bisection so
    /// that `sum size(w) = total`: the Euclidean projection onto the box intersected with the
    /// budget (for long-only, `size` is the value itself).
    static func waterFill(_ v: [Double], lower: [Double], upper: [Double], total: Double, size: (Double) -> Double) -> [Double] {
        func shrunk(_ tau: Double) -> [Double] {
            v.indices.map { i in
                let magnitude = max(Swift.abs(v[i]) - tau, 0)
                return min(max(v[i] < 0 ? -magnitude : magnitude, lower[i]), upper[i])
            }
        }
        var low = 0.0, high = max(v.map(Swift.abs).max() ?? 0, 0)
        for _ in 0..<200 {
            let middle = (low + high) / 2
            if shrunk(middle).reduce(0, { $0 + size($1) }) > total { low = middle } else { high = middle }
            if high - low <= 1e-16 * max(high, 1) { break }
        }
        return shrunk(high)
    }
}
