import Portfolio
import PropertyBased
import Risk
import Support
import Testing

/// For random raw weights, limits and return histories, the enforced weights satisfy every
/// hard limit, leave a non-negative cash line that makes the total 1, and are unchanged when
/// the raw weights already satisfy everything (swift-property-based).
@Suite("Risk limits: properties")
struct LimitPropertyTests {
    static let assets = ["A", "B", "C", "D", "E"]

    /// Limits drawn from a seed: each limit present or not, with a random cap.
    static func limits(_ seed: UInt64) -> RiskLimits {
        var g = SeededGenerator(seed: seed)
        var limits = RiskLimits()
        func maybe(_ range: ClosedRange<Double>) -> Double? {
            g.nextUnitInterval() < 0.5 ? range.lowerBound + (range.upperBound - range.lowerBound) * g.nextUnitInterval() : nil
        }
        limits.longOnly = g.nextUnitInterval() < 0.8
        limits.maxWeight = maybe(0.05...0.6)
        if let cap = maybe(0...0.4) { limits.assetMax["C"] = cap }
        limits.maxGross = maybe(0.2...1.5)
        limits.minCash = maybe(0...0.5)
        limits.targetVolatility = maybe(0.05...0.8)
        limits.maxExpectedShortfall = maybe(0.005...0.08)
        if let cap = maybe(0...1) { limits.regimeMaxGross["r2"] = cap }
        limits.maxTurnover = maybe(0.01...1)
        return limits
    }

    static func history(_ seed: UInt64) -> [[Double]] {
        var g = SeededGenerator(seed: seed ^ 0x9E37)
        return (0..<60).map { _ in assets.indices.map { i in 0.0005 + 0.01 * Double(i + 1) * g.nextStandardNormal() } }
    }

    static func check(_ weights: [Double], _ limits: RiskLimits, _ returns: [[Double]], regime: String) -> Bool {
        let caps = assets.map { name in [limits.maxWeight, limits.assetMax[name]].compactMap { $0 }.min() ?? .infinity }
        let budgets: [(String, Double)] = [
            ("max_gross", limits.maxGross), ("regime_max_gross", limits.regimeMaxGross[regime]), ("min_cash", limits.minCash.map { 1 - $0 } ?? 1),
        ].compactMap { name, value in value.map { (name, $0) } }
        return LimitEnforcer.satisfiesHard(
            weights, caps: caps, budgets: budgets, limits: limits, covariance: CovarianceEstimator.sample.estimate(returns),
            returns: returns, periodsPerYear: 365)
    }

    static let raws = Gen.double(in: -1.5...2.0).array(of: 5...5)
    static let previouses = Gen.double(in: 0...0.4).array(of: 5...5)
    static let seeds = Gen.uint64(in: 0...UInt64.max)

    @Test("the result satisfies every hard limit and the cash line is non-negative")
    func satisfiesLimits() async {
        await propertyCheck(count: 300, input: Self.raws, Self.previouses, Self.seeds) { raw, previous, seed in
            let limits = Self.limits(seed), returns = Self.history(seed)
            let regime = seed % 2 == 0 ? "r2" : "r0"
            let result = LimitEnforcer.apply(raw, assets: Self.assets, limits: limits, previous: previous, returns: returns, regime: regime, periodsPerYear: 365)
            #expect(Self.check(result.weights, limits, returns, regime: regime), "raw \(raw), limits \(limits) -> \(result)")
            #expect(result.weights.allSatisfy { $0.isFinite })
            #expect(1 - result.weights.reduce(0, +) >= -1e-9)
            let again = LimitEnforcer.apply(result.weights, assets: Self.assets, limits: limits, previous: result.weights, returns: returns, regime: regime, periodsPerYear: 365)
            #expect(zip(again.weights, result.weights).allSatisfy { Swift.abs($0 - $1) < 1e-9 }, "not idempotent")
        }
    }

    @Test("weights that already satisfy every limit come back unchanged, with nothing binding")
    func feasibleUnchanged() async {
        await propertyCheck(count: 300, input: Self.raws, Self.seeds) { raw, seed in
            let limits = Self.limits(seed), returns = Self.history(seed)
            let regime = seed % 2 == 0 ? "r2" : "r0"
            guard Self.check(raw, limits, returns, regime: regime) else { return }
            let result = LimitEnforcer.apply(raw, assets: Self.assets, limits: limits, previous: nil, returns: returns, regime: regime, periodsPerYear: 365)
            #expect(result.weights == raw)
            #expect(result.binding.isEmpty)
        }
    }

    @Test("caps and budget: the Euclidean projection on a hand-checked case")
    func projection() {
        var limits = RiskLimits()
        limits.maxWeight = 0.4
        limits.minCash = 0.1
        let result = LimitEnforcer.apply([0.7, 0.3, 0.2, -0.1, 0], assets: Self.assets, limits: limits, previous: nil, returns: [], regime: nil, periodsPerYear: 365)
        // Clip to [0, 0.4] gives 0.4 + 0.3 + 0.2 = 0.9 = 1 - min_cash, so no shift is needed.
        #expect(zip(result.weights, [0.4, 0.3, 0.2, 0, 0]).allSatisfy { Swift.abs($0 - $1) < 1e-12 })
        #expect(result.binding.contains("long_only") && result.binding.contains("max_weight"))
        limits.minCash = 0.3
        let tighter = LimitEnforcer.apply([0.7, 0.3, 0.2, -0.1, 0], assets: Self.assets, limits: limits, previous: nil, returns: [], regime: nil, periodsPerYear: 365)
        // Water-filling: w = clip(v - tau, 0, 0.4) with sum 0.7: tau = 0.1 gives 0.4 + 0.2 + 0.1.
        #expect(zip(tighter.weights, [0.4, 0.2, 0.1, 0, 0]).allSatisfy { Swift.abs($0 - $1) < 1e-12 })
        #expect(tighter.binding.contains("min_cash"))
    }

    @Test("turnover gives way to a hard limit and says so")
    func turnoverRelaxed() {
        var limits = RiskLimits()
        limits.maxWeight = 0.3
        limits.maxTurnover = 0.05
        let previous = [0.9, 0, 0, 0, 0]
        let result = LimitEnforcer.apply([0.2, 0.2, 0.2, 0.2, 0.2], assets: Self.assets, limits: limits, previous: previous, returns: [], regime: nil, periodsPerYear: 365)
        #expect(result.weights[0] <= 0.3 + 1e-9)
        #expect(result.relaxed == ["max_turnover"])
    }
}
