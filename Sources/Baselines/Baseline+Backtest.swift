import Market
import Portfolio
import Risk

extension Baseline {
    /// Window rules decide once their window fits; online rules from the first row.
    package func firstDecisionRow(in market: Dataset) -> Int {
        rule.isOnline ? 0 : window
    }

    /// `ubah` trades only its first allocation.
    package var tradesOnlyFirstAllocation: Bool { rule == .buyAndHold }

    /// `bcrp` solves its problem over the periods it is evaluated on.
    package var usesHindsight: Bool { rule == .bestConstantRebalanced }

    /// Online rules learn period by period; `bcrp` solves its hindsight problem once over
    /// the backtest's own periods; window rules are stateless.
    package func session(deciding rows: ClosedRange<Int>, through view: MarketView) -> any AllocationSession {
        switch rule {
        case .bestConstantRebalanced: HindsightSession(rows: rows, market: view.history)
        case _ where rule.isOnline: OnlineSession(rule: rule)
        default: StatelessSession(allocator: self)
        }
    }
}

/// An online rule over the assets priced at the decision row; when that universe changes
/// (an asset lists), the rule restarts from uniform over the new universe.
struct OnlineSession: AllocationSession {
    let rule: BaselineName
    var universe: [Int] = []
    var state: OnlinePortfolio?
    var lastRow: Int?

    var decidesEveryPeriod: Bool { true }
    /// The state learns from the price relatives of the rows decided before, never from the
    /// holdings.
    var decisionsRepeat: Bool { true }

    mutating func decide(_ view: MarketView, holding: [Double]) throws -> Allocation {
        let market = view.history
        let row = view.row
        let listed = market.assets.indices.filter { market.price(row: row, asset: $0) != nil }
        if listed != universe || state == nil {
            universe = listed
            state = OnlinePortfolio(rule, assets: listed.count)
        } else if let last = lastRow, last == row - 1 {
            state!.observe(universe.map { market.price(row: row, asset: $0)! / market.price(row: row - 1, asset: $0)! })
        }
        lastRow = row
        var weights = [Double](repeating: 0, count: market.assets.count)
        for (k, asset) in universe.enumerated() { weights[asset] = state!.decision[k] }
        return Allocation(weights: weights)
    }
}

/// `bcrp`: the constant portfolio that was best over the backtest's own periods, over the
/// assets priced on every row of them (hindsight: for evaluation only).
struct HindsightSession: AllocationSession {
    let weights: [Double]

    init(rows: ClosedRange<Int>, market: Dataset) {
        let last = min(rows.upperBound + 1, market.rowCount - 1)
        let assets = market.assets.indices.filter { market.firstRows[$0] <= rows.lowerBound }
        var weights = [Double](repeating: 0, count: market.assets.count)
        if !assets.isEmpty, last > rows.lowerBound {
            let relatives = ((rows.lowerBound + 1)...last).map { t in
                assets.map { market.price(row: t, asset: $0)! / market.price(row: t - 1, asset: $0)! }
            }
            var warnings: [String] = []
            let local = OnlineRules.run(.bestConstantRebalanced, relatives: relatives, warnings: &warnings)
            for (k, asset) in assets.enumerated() { weights[asset] = local[k] }
        }
        self.weights = weights
    }

    var decidesEveryPeriod: Bool { false }
    var decisionsRepeat: Bool { true }

    mutating func decide(_ view: MarketView, holding: [Double]) throws -> Allocation { Allocation(weights: weights) }
}
