import Artifacts
import Features
import Foundation
import Market
import ModelStore
import Policy
import Portfolio
import Regimes
import Risk

/// The daily job (contract section 6): today's weights from a model version, under risk
/// limits, from data dated on or before the as-of date only.
package enum DailyInference {
    /// What the scheduler asked for.
    package struct Request: Sendable {
        package var asOf: Timestamp
        package var limits = RiskLimits()
        /// The weights file of the previous run (for turnover and as the held weights).
        package var previous: WeightsFile?
        /// Periods the newest price row may lag the as-of date.
        package var maxStaleness = 1
        /// Returns in the risk window.
        package var window = 90

        package init(asOf: Timestamp) { self.asOf = asOf }
    }

    /// A refusal with the contract's exit status.
    package struct Refusal: Error, CustomStringConvertible {
        package let description: String
        /// 65 bad data, 66 missing or damaged model, 70 model failure, 75 stale data.
        package let status: Int32
    }

    /// The outcome: the file to write and what a person needs to understand it.
    package struct Outcome: Sendable {
        package let file: WeightsFile
        /// The policy's weights before limits, by asset.
        package let raw: [String: Double]
        package let regimeLabel: String?
        package let regimeProbability: Double?
        package let dataRange: (first: String, last: String)
    }

    /// Runs the model on the market as known at `request.asOf`.
    package static func run(model: PolicyAllocator, version: String, dataset: Dataset, request: Request) throws(Refusal) -> Outcome {
        let day = request.asOf.day
        guard let row = dataset.dates.lastIndex(where: { $0.day <= day }) else {
            throw Refusal(description: "no price row on or before \(request.asOf) (data starts \(dataset.dates.first!))", status: 65)
        }
        let lag = day.dayNumber - dataset.dates[row].day.dayNumber
        let periodLength = max(1, Int((365.0 / dataset.periodsPerYear).rounded()))
        if lag > request.maxStaleness * periodLength {
            throw Refusal(
                description: "stale data: the newest price row (\(dataset.dates[row])) is \(lag) days before --as-of \(request.asOf); at most \(request.maxStaleness) period(s) allowed",
                status: 75)
        }
        let market = dataset.truncated(throughRow: row)
        let n = market.assets.count
        let holding = heldWeights(request.previous, market: market, row: row)
        // Features once: the policy's inputs and the regime observations share them.
        let features = FeatureBuilder.compute(market, spec: model.spec)
        let inputs = PolicyInputs(
            market, normalisation: model.normalisation, regimeModel: model.regimeModel, spec: model.spec, features: features, onlyRows: row...row)
        let allocation = model.decide(inputs, row: row, holding: holding)
        guard allocation.weights.allSatisfy(\.isFinite) else {
            throw Refusal(description: "the model produced a non-finite weight; nothing written", status: 70)
        }
        let returns = (max(1, row - request.window + 1)...row).map { t in
            (0..<n).map { asset -> Double in
                guard let now = market.price(row: t, asset: asset), let before = market.price(row: t - 1, asset: asset) else { return 0 }
                return now / before - 1
            }
        }
        var regimeLabel: String?, regimeProbability: Double?, probabilities: [String: Double] = [:]
        if let hmm = model.regimeModel, let observations = try? RegimeObservations(dataset: market, table: features),
            let last = hmm.filteredProbabilities(observations.values).last {
            let best = last.indices.max { last[$0] < last[$1] }!
            regimeLabel = "r\(best)"
            regimeProbability = last[best]
            for (k, p) in last.enumerated() { probabilities["r\(k)"] = p }
        }
        let limited = LimitEnforcer.apply(
            allocation.weights, assets: market.assets, limits: request.limits, previous: holding.contains { $0 != 0 } ? holding : nil,
            returns: returns, regime: regimeLabel, periodsPerYear: market.periodsPerYear)
        let (name, number) = splitVersion(version)
        var file = WeightsFile(
            allocation: Allocation(weights: limited.weights), market: market, row: row,
            source: .init(kind: "model", name: name, version: number), window: request.window,
            limits: .init(binding: limited.binding, relaxed: limited.relaxed))
        if let regimeLabel { file.regime = .init(label: regimeLabel, probabilities: probabilities) }
        var raw: [String: Double] = [:]
        for (asset, name) in market.assets.enumerated() { raw[name] = allocation.weights[asset] }
        raw[market.config.cash] = allocation.cash
        return Outcome(
            file: file, raw: raw, regimeLabel: regimeLabel, regimeProbability: regimeProbability,
            dataRange: (market.dates.first!.description, market.dates.last!.description))
    }

    /// The previous run's weights drifted to `row` by the prices since its date (zeros
    /// without a previous file).
    static func heldWeights(_ previous: WeightsFile?, market: Dataset, row: Int) -> [Double] {
        let n = market.assets.count
        guard let previous, let date = Timestamp(parsing: previous.asOf), let start = market.row(at: date), start <= row else {
            return previous.map { p in market.assets.map { p.weights[$0] ?? 0 } } ?? Array(repeating: 0, count: n)
        }
        var weights = market.assets.map { previous.weights[$0] ?? 0 }
        guard start < row else { return weights }
        for t in (start + 1)...row {
            var total = 1 - weights.reduce(0, +)
            for asset in 0..<n where weights[asset] != 0 {
                if let now = market.price(row: t, asset: asset), let before = market.price(row: t - 1, asset: asset) { weights[asset] *= now / before }
                total += weights[asset]
            }
            weights = weights.map { $0 / total }
        }
        return weights
    }

    static func splitVersion(_ text: String) -> (String, String?) {
        guard let colon = text.lastIndex(of: ":") else { return (text, nil) }
        return (String(text[..<colon]), String(text[text.index(after: colon)...]))
    }
}
