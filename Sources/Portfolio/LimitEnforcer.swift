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
    package struct Result: Sendable {
        /// Weights per asset (cash is `1 - sum`).
        package let weights: [Double]
        /// Limits that changed the weights, as listed in a weights file (each once, in the
        /// order they first bound).
        package let binding: [LimitBinding]
        /// Soft limits that had to give to hard ones.
        package let relaxed: [LimitBinding]
        /// Volatility and ES of `weights` on the risk window (nil when not measurable).
        package let measured: (volAnnual: Double, expectedShortfall: Double)?
    }

    /// Applies `limits` to `raw` weights.
    /// - Parameters:
    ///   - constraints: the hard limits of this decision.
    ///   - maxTurnover: the soft turnover cap.
    ///   - previous: the weights held (drifted), for turnover; nil skips the turnover limit.
    /// - Precondition: finite raw weights, one per asset of `constraints`.
    package static func apply(_ raw: [Double], constraints: HardConstraints, maxTurnover: Double?, previous: [Double]?) -> Result
    {
        precondition(
            raw.count == constraints.caps.count && raw.allSatisfy(\.isFinite),
            "LimitEnforcer: raw weights must be finite, one per asset")
        var binding: [LimitBinding] = []
        var w = projectBoxAndBudget(raw, constraints, binding: &binding)
        if let target = constraints.targetVolatility, let volatility = constraints.risk.annualVolatility(of: w),
            volatility > target * (1 + 1e-12)
        {
            w = w.map { $0 * target / volatility }
            binding.append(LimitBinding(.targetVolatility))
        }
        if let cap = constraints.maxExpectedShortfall,
            let es = constraints.risk.expectedShortfall(of: w, confidence: constraints.esConfidence), es > cap * (1 + 1e-12)
        {
            w = w.map { $0 * cap / es }
            binding.append(LimitBinding(.maxExpectedShortfall))
        }
        var relaxed: [LimitBinding] = []
        if let cap = maxTurnover, let previous {
            let turnover = zip(w, previous).reduce(0) { $0 + Swift.abs($1.0 - $1.1) }
            if turnover > cap * (1 + 1e-12) {
                var theta = cap / turnover
                let candidate = { (t: Double) in zip(previous, w).map { $0 + t * ($1 - $0) } }
                if !constraints.contains(candidate(theta), tolerance: 1e-12) {
                    var low = theta
                    var high = 1.0
                    for _ in 0..<60 {
                        let middle = (low + high) / 2
                        if constraints.contains(candidate(middle), tolerance: 1e-12) { high = middle } else { low = middle }
                    }
                    theta = high
                    relaxed.append(LimitBinding(.maxTurnover))
                }
                w = candidate(theta)
                binding.append(LimitBinding(.maxTurnover))
            }
        }
        var listed = Set<LimitBinding>()
        return Result(
            weights: w, binding: binding.filter { listed.insert($0).inserted }, relaxed: relaxed,
            measured: constraints.measured(w))
    }

    /// Step 1: the projection onto caps and budgets (see the type's documentation).
    static func projectBoxAndBudget(_ raw: [Double], _ constraints: HardConstraints, binding: inout [LimitBinding]) -> [Double] {
        let caps = constraints.caps
        let longOnly = constraints.longOnly
        let lower = caps.map { longOnly ? 0 : -$0 }
        var w = zip(raw, zip(lower, caps)).map { min(max($0, $1.0), $1.1) }
        if longOnly && raw.contains(where: { $0 < 0 }) { binding.append(LimitBinding(.longOnly)) }
        for (index, value) in raw.enumerated() where Swift.abs(value) > caps[index] {
            binding.append(constraints.capLimits[index])
        }
        let grossCap = constraints.grossCap
        let netCap = constraints.netCap
        if longOnly {
            let cap = min(grossCap, netCap)
            if w.reduce(0, +) > cap {
                w = waterFill(raw, lower: lower, upper: caps, total: cap) { Swift.abs($0) }
                binding.append(
                    contentsOf: constraints.budgets.filter { $0.value <= cap + 1e-15 }.map { LimitBinding($0.limit) }.prefix(1))
            }
        } else {
            if w.reduce(0, { $0 + Swift.abs($1) }) > grossCap,
                let tightest = constraints.budgets.first(where: { !$0.isNet && $0.value == grossCap })
            {
                w = waterFill(raw, lower: lower, upper: caps, total: grossCap) { Swift.abs($0) }
                binding.append(LimitBinding(tightest.limit))
            }
            let net = w.reduce(0, +)
            if net > netCap {
                w = w.map { $0 * netCap / net }
                binding.append(LimitBinding(.minCash))
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
        var low = 0.0
        var high = max(v.map(Swift.abs).max() ?? 0, 0)
        for _ in 0..<200 {
            let middle = (low + high) / 2
            if shrunk(middle).reduce(0, { $0 + size($1) }) > total { low = middle } else { high = middle }
            if high - low <= 1e-16 * max(high, 1) { break }
        }
        return shrunk(high)
    }
}
