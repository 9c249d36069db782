import Market
import Options
import Portfolio

/// The state of one simulation between periods: the allocator's session, the book held, the
/// wealth and what has been recorded. `Simulator.run` advances it one return row at a time.
struct SimulationRun {
    let allocator: any Allocator
    let market: Dataset
    let settings: BacktestSettings
    let step: DecisionStep
    let costs: CostModel
    let firstReturnRow: Int
    /// Assets whose instrument (spot, perp, future) is recorded per period.
    let instrumentAssets: [Int]
    var session: any AllocationSession
    var overlay: OverlayAccount?
    /// Weights held before the next decision (drifted), and the last traded target.
    var held: [Double]
    var target: [Double]
    var hasTraded = false
    var ledger: SimulationLedger
    /// The traded weights of the period being booked (storage reused every period).
    var tradedBuffer: [Double] = []

    init(_ allocator: any Allocator, market: Dataset, settings: BacktestSettings, returnRows: ClosedRange<Int>) throws {
        self.allocator = allocator
        self.market = market
        self.settings = settings
        step = DecisionStep(limits: settings.limits, window: settings.riskWindow)
        costs = .standard(
            market, feeBasisPoints: settings.feeBasisPoints, assetsUnderManagement: settings.assetsUnderManagement)
        firstReturnRow = returnRows.lowerBound
        instrumentAssets = market.assets.indices.filter {
            market.kind(of: market.assets[$0]) == .future || market.instruments[market.assets[$0]] != nil
        }
        if !settings.withoutOverlay, let spec = allocator.overlay {
            guard let account = OverlayAccount(spec, dataset: market) else {
                throw Simulator.Failure(
                    description: "\(allocator.name)'s overlay is on \(spec.asset), which is not an asset of the data")
            }
            overlay = account
        }
        let last = returnRows.upperBound
        session = try allocator.session(
            deciding: (returnRows.lowerBound - 1)...(last - 1),
            through: market.view(throughRow: allocator.usesHindsight ? last : last - 1))
        held = Array(repeating: 0, count: market.assets.count)
        target = held
        ledger = SimulationLedger(counted: settings.limits?.set)
    }

    /// Whether the schedule trades at the decision before return row `t`.
    func trades(beforeReturnRow t: Int) -> Bool {
        if allocator.tradesOnlyFirstAllocation { return !hasTraded }
        switch settings.rebalance {
        case .every(let every): return (t - firstReturnRow) % every == 0
        case .drift(let threshold):
            return !hasTraded || zip(held, target).reduce(0) { $0 + Swift.abs($1.0 - $1.1) } > threshold
        }
    }

    /// Decides at the close of `t - 1` through the decision step and books period `t`.
    mutating func advance(toReturnRow t: Int) throws {
        let decisionRow = t - 1
        let trades = trades(beforeReturnRow: t)
        let decides = trades || session.decidesEveryPeriod
        let view = decides || overlay != nil ? market.view(throughRow: decisionRow) : nil
        var proposal: [Double]?
        if decides, let view {
            let allocation = try session.decide(view, holding: held)
            ledger.warn(allocation.warnings)
            if trades { proposal = try listed(allocation.weights, atRow: decisionRow) }
        }
        let regime = session.regime(atRow: decisionRow)
        var decision: DecisionStep.Decision?
        if let view, proposal != nil || overlay != nil {
            decision = step.execute(proposal, holding: held, view: view, regime: regime, overlay: &overlay)
        }
        var bound: [LimitBinding] = []
        if proposal != nil, let decision {
            target = decision.weights
            bound = decision.binding
        }
        if let outcome = decision?.overlay { bound += (outcome.binding + outcome.broken).map(LimitBinding.init) }
        // A limit bound by the weights and by the overlay (min_cash) is one decision it bound.
        ledger.bind(bound.reduce(into: []) { if !$0.contains($1) { $0.append($1) } })
        ledger.regimes.append(regime)
        hasTraded = hasTraded || trades
        try book(period: t, holding: trades ? target : held, optionsTraded: decision?.overlay?.traded ?? 0)
    }

    /// The proposal, refused if it puts weight on an asset not listed at `row`.
    func listed(_ weights: [Double], atRow row: Int) throws(Simulator.Failure) -> [Double] {
        for (asset, weight) in weights.enumerated() where weight != 0 && market.price(row: row, asset: asset) == nil {
            throw Simulator.Failure(
                description: "\(allocator.name) put weight on \(market.assets[asset]) before it lists (\(market.dates[row]))")
        }
        return weights
    }

    /// Charges and records return row `t` with `weights` held through it (Appendix A).
    /// - Throws: `Simulator.Failure` when the trade cannot be charged (no volume for market
    ///   impact) or costs the whole book.
    mutating func book(period t: Int, holding weights: [Double], optionsTraded: Double) throws(Simulator.Failure) {
        let decisionRow = t - 1
        let trade = Trade(
            from: held, to: weights, atRow: decisionRow, in: market, optionsTraded: optionsTraded,
            wealthBefore: ledger.wealth, buffer: &tradedBuffer)
        let cost: Double
        do throws(TradingCostFailure) { cost = try costs.tradingCost(of: trade) } catch {
            throw Simulator.Failure(description: "\(allocator.name): \(error.description)")
        }
        guard cost < 1 else {
            throw Simulator.Failure(
                description:
                    "\(allocator.name)'s trade on \(market.dates[decisionRow]) costs \(cost) of the book (at least all of it): "
                    + "the assets under management are too large for the data's volume")
        }
        let funding = costs.holdingCost(holding: weights, overPeriod: t)
        let optionsBefore = overlay?.value(market, row: decisionRow) ?? 0
        var gross = 0.0
        var returns = [Double](repeating: 0, count: weights.count)
        for asset in weights.indices where weights[asset] != 0 {
            returns[asset] = market.simpleReturn(row: t, asset: asset)!
            gross += weights[asset] * returns[asset]
        }
        let optionsGain = (overlay?.value(market, row: t) ?? 0) - optionsBefore
        gross += optionsGain
        var period = ledger.charge(
            date: market.dates[t], weights: weights, turnover: trade.turnover, cost: cost, funding: funding, gross: gross)
        for asset in instrumentAssets {
            let name = market.assets[asset]
            guard let instrument = market.instrument(of: asset, atRow: decisionRow) else { continue }
            period.instruments[name] = instrument.rawValue
            if instrument == .future {
                period.contracts[name] = market.futuresChain(of: name)?.heldContract(atRow: decisionRow)?.name
            }
        }
        period.optionsValue = optionsBefore
        ledger.periods.append(period)
        held = WeightDrift.drifted(weights, optionsGain: optionsGain) { returns[$0] }
        overlay?.drift(by: 1 + gross)
    }

    /// The result of the periods booked so far.
    func result() -> BacktestResult {
        BacktestResult(
            strategy: allocator.name, assets: market.assets, cash: market.config.cash, periods: ledger.periods,
            periodsPerYear: market.periodsPerYear, costsPaid: ledger.costsPaid, fundingPaid: ledger.fundingPaid,
            warnings: ledger.warnings, limitsBinding: ledger.counted == nil ? nil : ledger.limitsBinding, regimes: ledger.regimes)
    }
}

/// What a simulation has recorded: wealth, the costs and funding paid, each period, the
/// warnings, how often each limit bound, and the regime seen at each decision.
struct SimulationLedger {
    /// The limits the limits file sets, whose bindings are counted (nil: no limits run).
    let counted: Set<LimitName>?
    var wealth = 1.0
    var costsPaid = 0.0
    var fundingPaid = 0.0
    var periods: [BacktestResult.Period] = []
    var warnings: [String] = []
    var limitsBinding: [LimitBinding: Int] = [:]
    var regimes: [RegimeLabel?] = []

    /// Records each warning once.
    mutating func warn(_ new: [String]) {
        for warning in new where !warnings.contains(warning) { warnings.append(warning) }
    }

    /// Counts one binding decision for each limit the file sets (contract section 8: a
    /// budget the file does not set, such as the risky weights' sum of 1, is not counted).
    mutating func bind(_ bindings: [LimitBinding]) {
        guard let counted else { return }
        for binding in bindings where counted.contains(binding.limit) { limitsBinding[binding, default: 0] += 1 }
    }

    /// `W_t = W_{t-1} (1 - c_t)(1 + gross - F_t)`, with the costs and funding paid added up.
    mutating func charge(date: Timestamp, weights: [Double], turnover: Double, cost: Double, funding: Double, gross: Double)
        -> BacktestResult.Period
    {
        let previousWealth = wealth
        wealth *= (1 - cost) * (1 + gross - funding)
        costsPaid += previousWealth * cost
        fundingPaid += previousWealth * (1 - cost) * funding
        return BacktestResult.Period(
            date: date, netReturn: wealth / previousWealth - 1, wealth: wealth, weights: weights, turnover: turnover, cost: cost,
            funding: funding)
    }
}
