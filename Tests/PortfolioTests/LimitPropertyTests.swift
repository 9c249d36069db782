import Market
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
        if let cap = maybe(0...1) { limits.regimeMaxGross[RegimeLabel(state: 2)] = cap }
        limits.maxTurnover = maybe(0.01...1)
        return limits
    }

    static func history(_ seed: UInt64) -> [[Double]] {
        var g = SeededGenerator(seed: seed ^ 0x9E37)
        return (0..<60).map { _ in assets.indices.map { i in 0.0005 + 0.01 * Double(i + 1) * g.nextStandardNormal() } }
    }

    /// The constraints of a decision on `returns` (`[t][asset]`).
    static func constraints(_ limits: RiskLimits, _ returns: [[Double]], regime: RegimeLabel?) -> HardConstraints {
        let columns: [[Double]?] = returns.isEmpty ? assets.map { _ in nil } : assets.indices.map { a in returns.map { $0[a] } }
        return HardConstraints(
            limits: limits, assets: assets, regime: regime, risk: PortfolioRiskWindow(columns: columns, periodsPerYear: 365))
    }

    static func apply(_ raw: [Double], _ limits: RiskLimits, previous: [Double]?, _ returns: [[Double]], regime: RegimeLabel?)
        -> LimitEnforcer.Result
    {
        LimitEnforcer.apply(
            raw, constraints: constraints(limits, returns, regime: regime), maxTurnover: limits.maxTurnover, previous: previous)
    }

    /// Every hard limit checked independently of the enforcer: caps, budgets, volatility from
    /// the sample covariance (`w' S w`), ES from `TailRisk`, within 1e-9.
    static func check(_ weights: [Double], _ limits: RiskLimits, _ returns: [[Double]], regime: RegimeLabel) -> Bool {
        let tolerance = 1e-9
        if limits.longOnly && weights.contains(where: { $0 < -tolerance }) { return false }
        for (asset, name) in assets.enumerated() {
            let cap = [limits.maxWeight, limits.assetMax[name]].compactMap { $0 }.min() ?? .infinity
            if Swift.abs(weights[asset]) > cap + tolerance { return false }
        }
        let gross = weights.map(Swift.abs).reduce(0, +)
        let net = weights.reduce(0, +)
        if let cap = limits.maxGross, gross > cap + tolerance { return false }
        if let cap = limits.regimeMaxGross[regime], gross > cap + tolerance { return false }
        if net > 1 - (limits.minCash ?? 0) + tolerance { return false }
        if let target = limits.targetVolatility {
            let volatility = (CovarianceEstimator.sample.estimate(returns).variance(of: weights) * 365).squareRoot()
            if volatility > target * (1 + tolerance) { return false }
        }
        if let cap = limits.maxExpectedShortfall {
            let portfolio = returns.map { row in zip(row, weights).map(*).reduce(0, +) }
            if TailRisk(returns: portfolio, confidence: limits.esConfidence).historicalES > cap * (1 + tolerance) { return false }
        }
        return true
    }

    static let raws = Gen.double(in: -1.5...2.0).array(of: 5...5)
    static let previouses = Gen.double(in: 0...0.4).array(of: 5...5)
    static let seeds = Gen.uint64(in: 0...UInt64.max)

    @Test("the result satisfies every hard limit and the cash line is non-negative")
    func satisfiesLimits() async {
        await propertyCheck(count: 300, input: Self.raws, Self.previouses, Self.seeds) { raw, previous, seed in
            let limits = Self.limits(seed)
            let returns = Self.history(seed)
            let regime = RegimeLabel(state: seed % 2 == 0 ? 2 : 0)
            let result = Self.apply(raw, limits, previous: previous, returns, regime: regime)
            #expect(Self.check(result.weights, limits, returns, regime: regime), "raw \(raw), limits \(limits) -> \(result)")
            #expect(result.weights.allSatisfy { $0.isFinite })
            #expect(1 - result.weights.reduce(0, +) >= -1e-9)
            let again = Self.apply(result.weights, limits, previous: result.weights, returns, regime: regime)
            #expect(zip(again.weights, result.weights).allSatisfy { Swift.abs($0 - $1) < 1e-9 }, "not idempotent")
        }
    }

    @Test("weights that already satisfy every limit come back unchanged, with nothing binding")
    func feasibleUnchanged() async {
        await propertyCheck(count: 300, input: Self.raws, Self.seeds) { raw, seed in
            let limits = Self.limits(seed)
            let returns = Self.history(seed)
            let regime = RegimeLabel(state: seed % 2 == 0 ? 2 : 0)
            guard Self.check(raw, limits, returns, regime: regime) else { return }
            let result = Self.apply(raw, limits, previous: nil, returns, regime: regime)
            #expect(result.weights == raw)
            #expect(result.binding.isEmpty)
        }
    }

    @Test("caps and budget: the Euclidean projection on a hand-checked case")
    func projection() {
        var limits = RiskLimits()
        limits.maxWeight = 0.4
        limits.minCash = 0.1
        let result = Self.apply([0.7, 0.3, 0.2, -0.1, 0], limits, previous: nil, [], regime: nil)
        // Clip to [0, 0.4] gives 0.4 + 0.3 + 0.2 = 0.9 = 1 - min_cash, so no shift is needed.
        #expect(zip(result.weights, [0.4, 0.3, 0.2, 0, 0]).allSatisfy { Swift.abs($0 - $1) < 1e-12 })
        #expect(result.binding.contains(LimitBinding(.longOnly)) && result.binding.contains(LimitBinding(.maxWeight)))
        limits.minCash = 0.3
        let tighter = Self.apply([0.7, 0.3, 0.2, -0.1, 0], limits, previous: nil, [], regime: nil)
        // Water-filling: w = clip(v - tau, 0, 0.4) with sum 0.7: tau = 0.1 gives 0.4 + 0.2 + 0.1.
        #expect(zip(tighter.weights, [0.4, 0.2, 0.1, 0, 0]).allSatisfy { Swift.abs($0 - $1) < 1e-12 })
        #expect(tighter.binding.contains(LimitBinding(.minCash)))
    }

    @Test("turnover gives way to a hard limit and says so")
    func turnoverRelaxed() {
        var limits = RiskLimits()
        limits.maxWeight = 0.3
        limits.maxTurnover = 0.05
        let previous = [0.9, 0, 0, 0, 0]
        let result = Self.apply([0.2, 0.2, 0.2, 0.2, 0.2], limits, previous: previous, [], regime: nil)
        #expect(result.weights[0] <= 0.3 + 1e-9)
        #expect(result.relaxed == [LimitBinding(.maxTurnover)])
    }

    @Test("with a volatility or ES cap, an asset without a full risk window gets weight 0; the rest is measured")
    func unmeasurableAssetCapped() {
        var limits = RiskLimits()
        limits.targetVolatility = 0.5
        let returns = Self.history(3)
        var columns: [[Double]?] = Self.assets.indices.map { a in returns.map { $0[a] } }
        columns[1] = nil
        let constraints = HardConstraints(
            limits: limits, assets: Self.assets, regime: nil, risk: PortfolioRiskWindow(columns: columns, periodsPerYear: 365))
        let result = LimitEnforcer.apply([0.2, 0.3, 0.1, 0, 0], constraints: constraints, maxTurnover: nil, previous: nil)
        #expect(result.weights[1] == 0)
        #expect(result.binding.first == LimitBinding(.targetVolatility))
        #expect(result.measured != nil)
        // Negative control: without the cap the asset keeps its weight and nothing is measured.
        let free = LimitEnforcer.apply(
            [0.2, 0.3, 0.1, 0, 0],
            constraints: HardConstraints(limits: RiskLimits(), assets: Self.assets, regime: nil, risk: constraints.risk),
            maxTurnover: nil, previous: nil)
        #expect(free.weights[1] == 0.3 && free.measured == nil)
    }
}
