import Market
import Options
import Portfolio
import Risk

/// The one simulator every allocator meets (contract Appendix A, "Accounting").
///
/// The decision at the close of row d is made from `market.view(throughRow: d)`, so an
/// allocator cannot see a later row; it is held during period d + 1 and earns that period's
/// returns. Between trades weights drift; fees are charged on traded risky weight (both legs
/// of a futures roll); funding is charged on perp positions held; an asset takes part from
/// its listing on.
package enum Simulator {
    /// Why a backtest cannot run.
    package struct Failure: Error, CustomStringConvertible {
        package let description: String
    }

    /// Simulates `allocator` on `market` with `settings`.
    /// - Throws: `Failure` for a range that does not fit, or an allocator's failure.
    package static func run(_ allocator: any Allocator, on market: Dataset, settings: BacktestSettings) throws -> BacktestResult {
        let n = market.assets.count
        let first = settings.firstReturnRow ?? (allocator.firstDecisionRow(in: market) + 1)
        let last = settings.lastReturnRow ?? (market.rowCount - 1)
        guard first >= 1, first <= last, last < market.rowCount else {
            func date(_ row: Int) -> String { market.dates.indices.contains(row) ? "\(market.dates[row])" : "row \(row)" }
            let rule =
                if first <= last {
                    "returns run from \(date(1)) to \(date(market.rowCount - 1))"
                } else if settings.firstReturnRow == nil {
                    "\(allocator.name) can first decide on \(date(first - 1)), so the range must end after it"
                } else { "its first date must not be after its last" }
            throw Failure(description: "the return range \(date(first)) .. \(date(last)) does not fit the data: \(rule)")
        }
        guard first - 1 >= allocator.firstDecisionRow(in: market) else {
            throw Failure(
                description:
                    "\(allocator.name) can first decide at \(market.dates[allocator.firstDecisionRow(in: market)]); start the returns after it"
            )
        }
        let fee = settings.feeBasisPoints / 10_000
        let perps = market.assets.map(market.chargedFunding(of:))
        let instrumentAssets = market.assets.indices.filter {
            market.kind(of: market.assets[$0]) == .future || market.instruments[market.assets[$0]] != nil
        }
        var overlay: OverlayAccount?
        if !settings.withoutOverlay, let spec = allocator.overlay {
            guard let account = OverlayAccount(spec, dataset: market) else {
                throw Failure(description: "\(allocator.name)'s overlay is on \(spec.asset), which is not an asset of the data")
            }
            overlay = account
        }
        var session = try allocator.session(
            deciding: (first - 1)...(last - 1), through: market.view(throughRow: allocator.usesHindsight ? last : last - 1))
        var held = [Double](repeating: 0, count: n)
        var target = held
        var wealth = 1.0
        var costs = 0.0
        var fundingPaid = 0.0
        var periods: [BacktestResult.Period] = []
        var warnings: [String] = []
        var hasTraded = false
        var limitsBinding: [String: Int] = [:]
        var regimes: [String?] = []
        for t in first...last {
            let decisionRow = t - 1
            let index = t - first
            var trades: Bool
            switch settings.rebalance {
            case .every(let every): trades = index % every == 0
            case .drift(let threshold):
                trades = !hasTraded || zip(held, target).reduce(0) { $0 + Swift.abs($1.0 - $1.1) } > threshold
            }
            if allocator.tradesOnlyFirstAllocation { trades = !hasTraded }
            if trades || session.decidesEveryPeriod {
                let allocation = try session.decide(market.view(throughRow: decisionRow), holding: held)
                for warning in allocation.warnings where !warnings.contains(warning) { warnings.append(warning) }
                if trades {
                    for (asset, weight) in allocation.weights.enumerated()
                    where weight != 0 && market.price(row: decisionRow, asset: asset) == nil {
                        throw Failure(
                            description:
                                "\(allocator.name) put weight on \(market.assets[asset]) before it lists (\(market.dates[decisionRow]))"
                        )
                    }
                    target = allocation.weights
                    if let limits = settings.limits {
                        // The daily job's enforcement on the daily job's inputs: the view,
                        // the regime the allocator sees, the drifted held weights.
                        let constraints = HardConstraints.forDecision(
                            limits: limits, market: market.view(throughRow: decisionRow).history, row: decisionRow,
                            regime: session.regime(atRow: decisionRow), window: settings.riskWindow)
                        let limited = LimitEnforcer.apply(
                            target, constraints: constraints, maxTurnover: limits.maxTurnover,
                            previous: held.contains { $0 != 0 } ? held : nil)
                        target = limited.weights
                        for name in limited.binding { limitsBinding[name, default: 0] += 1 }
                    }
                }
            }
            regimes.append(session.regime(atRow: decisionRow))
            let newWeights = trades ? target : held
            let tau = market.tradedWeight(from: held, to: newWeights, atRow: decisionRow)
            hasTraded = hasTraded || trades
            // The options overlay decides after the weights, on the same row's marks.
            var optionsTraded = 0.0
            var optionsBefore = 0.0
            if var account = overlay {
                let caps = settings.limits?.overlayCaps(regime: session.regime(atRow: decisionRow)) ?? OverlayCaps()
                if let outcome = account.decide(market, row: decisionRow, weights: newWeights, caps: caps) {
                    optionsTraded = outcome.traded
                    if settings.limits != nil {
                        for name in outcome.binding + outcome.broken { limitsBinding[name, default: 0] += 1 }
                    }
                }
                optionsBefore = account.value(market, row: decisionRow)
                overlay = account
            }
            let cost = fee * (tau + optionsTraded)
            var gross = 0.0
            var funding = 0.0
            var returns = [Double](repeating: 0, count: n)
            for asset in 0..<n where newWeights[asset] != 0 {
                returns[asset] = market.simpleReturn(row: t, asset: asset)!
                gross += newWeights[asset] * returns[asset]
                if let rates = perps[asset] { funding += newWeights[asset] * rates[t] }
            }
            let optionsGain = (overlay?.value(market, row: t) ?? 0) - optionsBefore
            gross += optionsGain
            let previousWealth = wealth
            wealth *= (1 - cost) * (1 + gross - funding)
            costs += previousWealth * cost
            fundingPaid += previousWealth * (1 - cost) * funding
            var period = BacktestResult.Period(
                date: market.dates[t], netReturn: wealth / previousWealth - 1, wealth: wealth, weights: newWeights,
                turnover: tau, cost: cost, funding: funding)
            for asset in instrumentAssets {
                let name = market.assets[asset]
                guard let instrument = market.instrument(of: asset, atRow: decisionRow) else { continue }
                period.instruments[name] = instrument.rawValue
                if instrument == .future {
                    period.contracts[name] = market.futuresChain(of: name)?.heldContract(atRow: decisionRow)?.name
                }
            }
            period.optionsValue = optionsBefore
            periods.append(period)
            held = WeightDrift.drifted(newWeights, optionsGain: optionsGain) { returns[$0] }
            overlay?.drift(by: 1 + gross)
        }
        return BacktestResult(
            strategy: allocator.name, assets: market.assets, cash: market.config.cash, periods: periods,
            periodsPerYear: market.periodsPerYear, costsPaid: costs, fundingPaid: fundingPaid, warnings: warnings,
            limitsBinding: settings.limits == nil ? nil : limitsBinding, regimes: regimes)
    }
}
