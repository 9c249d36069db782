import Artifacts
import Features
import Foundation
import Market
import ModelStore
import Options
import Policy
import Portfolio
import Regimes
import Risk
import Support

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
        /// The book's NAV in USD, to estimate what today's trade costs (nil: no estimate).
        package var assetsUnderManagement: Double?

        package init(asOf: Timestamp) { self.asOf = asOf }
    }

    /// A refusal with the contract's exit status.
    package struct Refusal: ReportableError {
        package let description: String
        /// 65 bad data, 66 missing or damaged model, 70 model failure, 75 stale data.
        package let exitStatus: Int32
    }

    /// The outcome: the file to write and what a person needs to understand it.
    package struct Outcome: Sendable {
        package let file: WeightsFile
        /// The policy's weights before limits, by asset.
        package let raw: [String: Double]
        /// The regime the model saw (nil without a regime model).
        package let regime: FilteredRegime?
        package let dataRange: (first: String, last: String)
        /// What today's trade costs at the request's assets under management.
        package var tradeCost: TradeCostEstimate?
    }

    /// Runs the model on the market as known at `request.asOf`: the decision goes through the
    /// `DecisionStep` every backtest uses.
    package static func run(model: PolicyAllocator, dataset: Dataset, request: Request) throws(Refusal) -> Outcome {
        let row = try decisionRow(dataset, request)
        try checkLimitNames(request.limits, model: model, dataset: dataset)
        let market = dataset.view(throughRow: row).history
        // Features once: the policy's inputs (this row) and the regime observations (every
        // row's mkt_ret and dispersion) share them; windowed features at this row only.
        let features = FeatureBuilder.compute(market, spec: model.spec, rows: row...row)
        let inputs: PolicyInputs
        do { inputs = try model.inputs(market, features: features, onlyRows: row...row) } catch {
            throw Refusal(description: error.description, exitStatus: error.exitStatus)
        }
        var regime: FilteredRegime?
        if let hmm = model.regimeModel, let observations = try? RegimeObservations(dataset: market, table: features) {
            regime = FilteredRegime(hmm, observations: observations.values)
        }
        return try decide(model: model, dataset: dataset, row: row, inputs: inputs, regime: regime, request: request)
    }

    /// Refuses a limits file that names an asset or a regime label the model and data do not
    /// have (65).
    static func checkLimitNames(_ limits: RiskLimits, model: PolicyAllocator, dataset: Dataset) throws(Refusal) {
        do {
            try limits.checkNames(assets: dataset.assets, regimeLabels: model.regimeLabels)
        } catch {
            throw Refusal(description: error.description, exitStatus: error.exitStatus)
        }
    }

    /// The decision at `row` from the policy's inputs and the regime it saw there: held
    /// weights, the policy, the decision step, the weights file. `run` and `Replay` both end
    /// here, so a replayed date goes through exactly the job's decision.
    /// - Parameter inputs: inputs that hold `row` (computed on the data through `row`, or on
    ///   more rows: features at a row read no later row).
    static func decide(
        model: PolicyAllocator, dataset: Dataset, row: Int, inputs: PolicyInputs, regime: FilteredRegime?, request: Request
    ) throws(Refusal) -> Outcome {
        let view = dataset.view(throughRow: row)
        let market = view.history
        var overlay = try overlayAccount(model, market: market, previous: request.previous)
        let holding = heldWeights(request.previous, market: market, row: row, overlay: &overlay)
        let allocation = model.decide(inputs, row: row, holding: holding)
        guard allocation.weights.allSatisfy(\.isFinite) else {
            throw Refusal(
                description: "the model produced a non-finite weight; nothing written", exitStatus: ExitStatus.internalFailure)
        }
        let step = DecisionStep(limits: request.limits, window: request.window)
        let decision = step.execute(
            allocation.weights, holding: holding, view: view, regime: regime?.label, overlay: &overlay)
        var file = try weightsFile(decision, model: model, market: market, row: row, window: request.window)
        if let regime { file.regime = .init(label: regime.label.description, probabilities: regime.probabilitiesByLabel) }
        if let account = overlay { try record(decision.overlay, of: account, in: &file, market: market, row: row) }
        var raw: [String: Double] = [:]
        for (asset, name) in market.assets.enumerated() { raw[name] = allocation.weights[asset] }
        raw[market.config.cash] = allocation.cash
        var outcome = Outcome(
            file: file, raw: raw, regime: regime, dataRange: (market.dates.first!.description, market.dates.last!.description))
        if let aum = request.assetsUnderManagement {
            outcome.tradeCost = TradeCostEstimate(
                from: holding, to: decision.weights, market: market, row: row, assetsUnderManagement: aum)
        }
        return outcome
    }

    /// The last row on or before the as-of date, refused when it lags by more than the
    /// staleness the request allows.
    static func decisionRow(_ dataset: Dataset, _ request: Request) throws(Refusal) -> Int {
        let day = request.asOf.day
        guard let row = dataset.dates.lastIndex(where: { $0.day <= day }) else {
            throw Refusal(
                description: "no price row on or before \(request.asOf) (data starts \(dataset.dates.first!))",
                exitStatus: ExitStatus.badData)
        }
        let lag = day.dayNumber - dataset.dates[row].day.dayNumber
        let periodLength = max(1, Int((365.0 / dataset.periodsPerYear).rounded()))
        let allowed = request.maxStaleness.multipliedReportingOverflow(by: periodLength)
        if !allowed.overflow && lag > allowed.partialValue {
            throw Refusal(
                description:
                    "stale data: the newest price row (\(dataset.dates[row])) is \(lag) days before --as-of \(request.asOf); at most \(request.maxStaleness) period(s) allowed",
                exitStatus: ExitStatus.stale)
        }
        return row
    }

    /// The model's options overlay account with the previous file's positions on its asset
    /// (nil for a model without an overlay).
    static func overlayAccount(_ model: PolicyAllocator, market: Dataset, previous: WeightsFile?) throws(Refusal)
        -> OverlayAccount?
    {
        guard let spec = model.overlay else { return nil }
        guard let book = previous.map({ $0.overlayPositions }) ?? [] else {
            throw Refusal(description: "the previous weights file's overlay cannot be read", exitStatus: ExitStatus.badData)
        }
        if let previous, let problem = heldOverlayProblem(book, spec: spec, asOf: previous.asOf) {
            throw Refusal(description: "the previous weights file: \(problem); nothing written", exitStatus: ExitStatus.badData)
        }
        guard let account = OverlayAccount(spec, dataset: market, book: book.filter { $0.asset == spec.asset }) else {
            throw Refusal(
                description: "the overlay is on \(spec.asset), which the data do not have", exitStatus: ExitStatus.badData)
        }
        return account
    }

    /// Why a previous file's options cannot be ones this model's daily job wrote, or nil: each
    /// on the overlay's asset must expire after the file's date and at most `tenor_days`
    /// after it (the job opens at that tenor and never extends one), so a tampered expiry
    /// cannot carry an option the model never bought.
    static func heldOverlayProblem(_ book: [OverlayPosition], spec: OverlaySpec, asOf: String) -> String? {
        guard let date = Timestamp(parsing: asOf) else { return "as_of '\(asOf)' is not a date" }
        for (index, position) in book.enumerated() where position.asset == spec.asset {
            let days = position.daysToExpiry(from: date)
            if !(days > 0 && days <= Double(spec.tenorDays) + 1e-9) {
                return
                    "overlay[\(index)].expiry \(position.expiry) is \(Int(days.rounded())) days after its as_of \(asOf); the model's overlay holds options expiring 1 to \(spec.tenorDays) days ahead"
            }
        }
        return nil
    }

    /// The weights file of a decision (before the overlay is recorded).
    static func weightsFile(_ decision: DecisionStep.Decision, model: PolicyAllocator, market: Dataset, row: Int, window: Int)
        throws(Refusal) -> WeightsFile
    {
        guard let constraints = decision.constraints else {
            throw Refusal(
                description: "the decision step ran without limits; nothing written", exitStatus: ExitStatus.internalFailure)
        }
        let measured = decision.measured.map {
            WeightsFile.Measured(
                volAnnual: $0.volAnnual, expectedShortfall: $0.expectedShortfall, esConfidence: constraints.esConfidence,
                window: window)
        }
        return WeightsFile(
            allocation: Allocation(weights: decision.weights), market: market, row: row,
            source: WeightsFile.Source(model.identity),
            window: window,
            limits: .init(
                binding: decision.binding.map(\.description), relaxed: decision.relaxed.map(\.description), measured: measured,
                unmeasured: constraints.unmeasured.isEmpty ? nil : constraints.unmeasured))
    }

    /// Records the overlay's trade in `file`, or refuses when it could not be priced or cannot
    /// meet its caps even at zero.
    static func record(
        _ outcome: OverlayDecision.Outcome?, of account: OverlayAccount, in file: inout WeightsFile, market: Dataset, row: Int
    ) throws(Refusal) {
        guard let outcome, let optionMarket = account.market(market, row: row) else {
            throw Refusal(
                description:
                    "the overlay on \(account.spec.asset) cannot be priced on \(market.dates[row]): no spot close or implied volatility (dataset.yaml implied_vol) known then; nothing written",
                exitStatus: ExitStatus.badData)
        }
        guard outcome.broken.isEmpty else {
            throw Refusal(
                description:
                    "the overlay cannot meet \(outcome.broken.map { LimitBinding($0).description }.joined(separator: ", ")) even at zero; nothing written",
                exitStatus: ExitStatus.badData)
        }
        file.record(overlay: outcome.positions, on: optionMarket, cash: market.config.cash)
        for name in outcome.binding.map({ LimitBinding($0).description }) where !file.limits.binding.contains(name) {
            file.limits.binding.append(name)
        }
        file.limits.measured?.vega = outcome.greeks.vega
        file.limits.measured?.gamma = outcome.greeks.gamma
        file.limits.measured?.premium = outcome.premiumPaid
    }

    /// The previous run's weights drifted to `row` by the prices since its date, as the
    /// simulator drifts them (`WeightDrift`); zeros without a previous file.
    /// With an overlay, its positions drift with the NAV the same way, marked in full at
    /// every row between (as the simulator does).
    static func heldWeights(_ previous: WeightsFile?, market: Dataset, row: Int, overlay: inout OverlayAccount?) -> [Double] {
        let n = market.assets.count
        guard let previous, let date = Timestamp(parsing: previous.asOf), let start = market.row(at: date), start <= row else {
            return previous.map { p in market.assets.map { p.weights[$0] ?? 0 } } ?? Array(repeating: 0, count: n)
        }
        var weights = market.assets.map { previous.weights[$0] ?? 0 }
        guard start < row else { return weights }
        for t in (start + 1)...row {
            let optionsGain = overlay.map { $0.value(market, row: t) - $0.value(market, row: t - 1) } ?? 0
            let growth =
                1 + optionsGain + weights.indices.reduce(0.0) { $0 + weights[$1] * (market.simpleReturn(row: t, asset: $1) ?? 0) }
            weights = WeightDrift.drifted(weights, optionsGain: optionsGain) { market.simpleReturn(row: t, asset: $0) ?? 0 }
            overlay?.drift(by: growth)
        }
        return weights
    }
}
