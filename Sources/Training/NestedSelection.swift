import Foundation
import Policy

/// Model selection that does not rest on one year (docs/policy.md, "Selection"): early
/// stopping and the choice among candidate designs use several validation windows inside
/// the training range, and a candidate is scored by the mean minus one standard deviation of
/// its validation Sharpes across them, so a design that shines in one window and fails in
/// another loses to one that holds up in all.
///
/// The windows: the config's validation range is the latest; each earlier one has the same
/// length and ends the row before the next begins. For each window the members train on the
/// training rows before it (and stop early on it); the model is the ensemble over seeds and
/// windows of the chosen candidate. The test dates are never seen: every window lies inside
/// the training range the caller gives.
package enum NestedSelection {
    /// The design keys a config may `select:` over, each a key of `budget:`.
    package static let keys = ["band", "half_life", "rebalance", "target_vol", "tau"]

    /// One candidate's validation record.
    package struct Score: Sendable, Equatable, Codable {
        /// The selected keys' values.
        package let values: [String: Double]
        /// The ensemble's Sharpe in each validation window, latest first (nil: undefined).
        package let sharpes: [Double?]
        /// Mean minus one (sample) standard deviation of `sharpes`; `-inf` when one is undefined.
        package let score: Double
    }

    /// Problems with `validation_windows` and `select`, as sentences naming the key.
    static func problems(_ config: TrainingConfig) -> [String] {
        guard !config.select.isEmpty else { return [] }
        guard config.budget != nil else { return ["select needs a budget: policy (its keys are keys of budget:)"] }
        var found: [String] = []
        for key in config.select.keys.sorted() where !keys.contains(key) {
            found.append("select.\(key) is not a key the nested loop chooses; valid: \(keys.joined(separator: ", "))")
        }
        let sizes = config.select.values.map(\.count)
        if sizes.contains(where: { !(1...10).contains($0) }) { found.append("select lists must hold 1 to 10 values each") }
        // The product only over known keys of 1 to 10 values each (at most 10^5 candidates):
        // over many unknown keys it overflowed and trapped.
        if found.isEmpty && sizes.reduce(1, *) > 64 {
            found.append("select must give at most 64 candidates; found \(sizes.reduce(1, *))")
        }
        if let days = config.select["rebalance"], days.contains(where: { $0 != $0.rounded() }) {
            found.append("select.rebalance values must be whole days; found \(days)")
        }
        guard found.isEmpty else { return found }
        return candidates(config).flatMap { $0.budget?.problems ?? [] }.reduce(into: []) { found, problem in
            let sentence = blamingSelect(problem, config)
            if !found.contains(sentence) { found.append(sentence) }
        }
    }

    /// A candidate's problem, put on the `select` list that gave the value when it did
    /// (`select.tau: budget.tau must be ...`), so the message points at the list.
    private static func blamingSelect(_ problem: String, _ config: TrainingConfig) -> String {
        let key = problem.prefix { $0 != " " }.dropFirst("budget.".count)
        guard problem.hasPrefix("budget."), config.select[String(key)] != nil else { return problem }
        return "select.\(key): \(problem)"
    }

    /// The candidates: the config with each combination of the selected values (keys in
    /// name order, values in the order given), `select` emptied. The config itself when it
    /// selects nothing.
    package static func candidates(_ config: TrainingConfig) -> [TrainingConfig] {
        var result = [config]
        result[0].select = [:]
        for key in config.select.keys.sorted() {
            result = result.flatMap { base in config.select[key]!.map { base.setting(key, $0) } }
        }
        return result
    }

    /// The selected keys' values in `config`.
    static func values(_ config: TrainingConfig, keys selected: [String]) -> [String: Double] {
        guard let budget = config.budget else { return [:] }
        var values: [String: Double] = [:]
        for key in selected {
            switch key {
            case "band": values[key] = budget.band
            case "half_life": values[key] = budget.halfLife
            case "rebalance": values[key] = Double(budget.rebalance)
            case "target_vol": values[key] = budget.targetVolatility ?? 0
            default: values[key] = budget.tau
            }
        }
        return values
    }

    /// The validation windows, latest first, with the training rows before each.
    /// - Throws: `PolicyTrainer.Failure` when the earliest window leaves too few training rows.
    static func windows(train: ClosedRange<Int>, validation: ClosedRange<Int>, count: Int, window: Int) throws
        -> [(train: ClosedRange<Int>, validation: ClosedRange<Int>)]
    {
        let length = validation.count
        return try (0..<count).map { k in
            let end = validation.upperBound - k * length
            let start = end - length + 1
            guard start - 1 - window > train.lowerBound else {
                throw PolicyTrainer.Failure(
                    description:
                        "validation_windows \(count): window \(k + 1) of \(length) rows leaves \(max(0, start - train.lowerBound)) training rows, too few for a window of \(window)"
                )
            }
            return (train.lowerBound...(start - 1), start...end)
        }
    }

    /// Mean minus one sample standard deviation (the mean alone for one window); `-inf` when
    /// any Sharpe is undefined.
    package static func score(_ sharpes: [Double?]) -> Double {
        let known = sharpes.compactMap { $0 }
        guard known.count == sharpes.count, !known.isEmpty else { return -.infinity }
        let mean = known.reduce(0, +) / Double(known.count)
        guard known.count > 1 else { return mean }
        let variance = known.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(known.count - 1)
        return mean - variance.squareRoot()
    }
}

extension TrainingConfig {
    /// The config with one `budget:` key set (a key of `NestedSelection.keys`).
    func setting(_ key: String, _ value: Double) -> TrainingConfig {
        var copy = self
        var budget = copy.budget ?? BudgetDesign()
        switch key {
        case "band": budget.band = value
        case "half_life": budget.halfLife = value
        case "rebalance":
            budget.rebalance = value.isFinite && Swift.abs(value) < 1e6 ? Int(value) : 0
            budget.rebalanceOffset = 0
        case "target_vol": budget.targetVolatility = value
        default: budget.tau = value
        }
        copy.budget = budget
        return copy
    }
}
