import Market
import Portfolio
import Risk
import Support

extension WeightsFile {
    /// The weights file of an allocation at `row`: every asset's weight and the cash line,
    /// and the historical VaR/ES (at `confidence`) and annualised volatility of those weights
    /// over the trailing `window` returns: zeros for an all-cash portfolio (cash earns 0),
    /// nulls when the window does not fit; and for assets held through futures or an auto
    /// choice, the instrument and contract held.
    package init(
        allocation: Allocation, market: Dataset, row: Int, source: Source, window: Int, confidence: Double = 0.99,
        limits: Limits = Limits()
    ) {
        var weights: [String: Double] = [:]
        for (asset, name) in market.assets.enumerated() { weights[name] = allocation.weights[asset] }
        weights[market.config.cash] = max(0, allocation.cash)
        var risk = RiskFigures(volAnnual: nil, valueAtRisk: nil, expectedShortfall: nil, confidence: confidence)
        if !allocation.weights.contains(where: { $0 != 0 }) {
            risk = RiskFigures(volAnnual: 0, valueAtRisk: 0, expectedShortfall: 0, confidence: confidence)
        } else if let portfolio = PortfolioRiskWindow(market, endingAt: row, window: window).returns(of: allocation.weights) {
            let tail = TailRisk(returns: portfolio, confidence: confidence)
            risk = RiskFigures(
                volAnnual: Statistics.standardDeviation(portfolio) * market.periodsPerYear.squareRoot(),
                valueAtRisk: tail.historicalVaR, expectedShortfall: tail.historicalES, confidence: confidence)
        }
        self.init(asOf: market.dates[row].description, source: source, weights: weights, risk: risk, limits: limits)
        var contracts: [String: HeldContract] = [:]
        var instruments: [String: String] = [:]
        for (asset, name) in market.assets.enumerated()
        where market.kind(of: name) == .future || market.instruments[name] != nil {
            guard let instrument = market.instrument(of: asset, atRow: row) else { continue }
            instruments[name] = instrument.rawValue
            guard instrument == .future, let chain = market.futuresChain(of: name), let held = chain.heldContract(atRow: row)
            else { continue }
            contracts[name] = HeldContract(
                contract: held.name, expiry: held.expiry.description,
                daysToExpiry: FuturesChain.daysToExpiry(held, from: market.dates[row]),
                rolls: market.rolls(atRow: row)[asset])
        }
        self.instruments = instruments.isEmpty ? nil : instruments
        self.contracts = contracts.isEmpty ? nil : contracts
    }
}
