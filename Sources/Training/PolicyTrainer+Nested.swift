import Backtest
import Foundation
import LinearAlgebra
import Market
import Policy
import Risk
import Support

extension PolicyTrainer {
    /// The nested loop's result: the chosen candidate's members (seeds x windows), their
    /// epochs, the chosen config and every candidate's score.
    struct Nested {
        let members: [PolicyNetwork<Float>]
        let history: [Epoch]
        let config: TrainingConfig
        let scores: [NestedSelection.Score]
    }

    /// Trains every candidate on every validation window (`NestedSelection`) and keeps the
    /// best-scoring candidate's ensemble. Candidates that differ only in `band` share their
    /// trained networks (the band acts on decisions, not on training). Every training runs to
    /// its end in this run (no checkpoint), in parallel (one BLAS thread each; the bytes do
    /// not depend on the cores).
    static func trainNested(_ base: TrainingSetting, known: Dataset, validationRows: ClosedRange<Int>, progress: (String) -> Void)
        throws -> Nested
    {
        let config = base.config
        let windows = try NestedSelection.windows(
            train: base.trainRows, validation: validationRows, count: config.validationWindows, window: config.window)
        let candidates = NestedSelection.candidates(config)
        var trainingConfigs: [TrainingConfig] = []
        let trainingIndex = candidates.map { candidate -> Int in
            let key = candidate.budget == nil ? candidate : candidate.setting("band", 0).setting("rebalance", 1)
            if let found = trainingConfigs.firstIndex(of: key) { return found }
            trainingConfigs.append(key)
            return trainingConfigs.count - 1
        }
        let settings = try trainingSettings(base, trainingConfigs, windows: windows, known: known)
        let members = config.ensemble
        progress(
            "nested selection: \(candidates.count) candidates, \(trainingConfigs.count) to train on \(windows.count) validation windows x \(members) seeds"
        )
        let trained = try BLASThreads.singleThreaded { () throws -> [MemberTraining] in
            try Parallel.map(settings.count * windows.count * members, width: ProcessInfo.processInfo.activeProcessorCount) {
                job in
                Result { () throws -> MemberTraining in
                    let (t, rest) = job.quotientAndRemainder(dividingBy: windows.count * members)
                    var training = try MemberTraining(member: rest, setting: settings[t][rest / members])
                    while !training.isFinished { _ = try training.step() }
                    return training
                }
            }.map { try $0.get() }
        }
        func networks(_ t: Int, window k: Int, design: BudgetDesign?) -> [PolicyNetwork<Float>] {
            (0..<members).map { s in
                var network = trained[(t * windows.count + k) * members + s].finished()
                network.budget = design
                return network
            }
        }
        var scores: [NestedSelection.Score] = []
        for (c, candidate) in candidates.enumerated() {
            let sharpes = try windows.indices.map { k in
                try cadenceMeanSharpe(candidate.budget) { design in
                    try validationSharpe(networks(trainingIndex[c], window: k, design: design), settings[trainingIndex[c]][k])
                }
            }
            let score = NestedSelection.Score(
                values: NestedSelection.values(candidate, keys: config.select.keys.sorted()), sharpes: sharpes,
                score: NestedSelection.score(sharpes))
            progress(
                "candidate \(describe(score.values)): validation Sharpes \(sharpes.map { $0.map { String(format: "%.3f", $0) } ?? "n/a" }.joined(separator: ", ")); score \(String(format: "%.3f", score.score))"
            )
            scores.append(score)
        }
        let best = scores.indices.max {
            scores[$0].score < scores[$1].score || (scores[$0].score == scores[$1].score && $0 > $1)
        }!
        progress("chosen: \(describe(scores[best].values))")
        let t = trainingIndex[best]
        let chosen = (0..<windows.count).flatMap { k in networks(t, window: k, design: candidates[best].budget) }
        let history = (0..<(windows.count * members)).flatMap { trained[t * windows.count * members + $0].history }
        return Nested(members: chosen, history: history, config: candidates[best], scores: scores)
    }

    /// One setting per training config and window: the config's inputs (its design's cores),
    /// the window's training rows and validation backtest.
    private static func trainingSettings(
        _ base: TrainingSetting, _ configs: [TrainingConfig], windows: [(train: ClosedRange<Int>, validation: ClosedRange<Int>)],
        known: Dataset
    ) throws -> [[TrainingSetting]] {
        var inputsByDesign: [(BudgetDesign?, PolicyInputs)] = []
        return configs.map { config in
            let design = config.budget.map {
                var d = $0; d.tau = 0; d.band = 0; return d
            }
            let inputs: PolicyInputs
            if let found = inputsByDesign.first(where: { $0.0 == design }) {
                inputs = found.1
            } else {
                inputs = PolicyInputs(
                    known, normalisation: base.normalisation, regimeModel: base.regimeModel, spec: config.features,
                    sleeves: config.sleeves, budget: config.budget)
                inputsByDesign.append((design, inputs))
            }
            return windows.map { window in
                var validation = base.validation
                validation.firstReturnRow = window.validation.lowerBound + 1
                validation.lastReturnRow = min(window.validation.upperBound + 1, base.dataset.rowCount - 1)
                return TrainingSetting(
                    dataset: base.dataset, config: config, name: base.name, inputs: inputs, normalisation: base.normalisation,
                    regimeModel: base.regimeModel, trainRows: window.train, validation: validation, costs: base.costs,
                    startSleeve: base.startSleeve)
            }
        }
    }

    /// The Sharpe of a design, or with a cadence of k days the mean over its k offsets (one
    /// offset can be lucky); nil when any is undefined.
    package static func cadenceMeanSharpe(_ design: BudgetDesign?, _ sharpe: (BudgetDesign?) throws -> Double?) rethrows
        -> Double?
    {
        guard let design, design.rebalance > 1 else { return try sharpe(design) }
        var total = 0.0
        for offset in 0..<design.rebalance {
            var shifted = design
            shifted.rebalanceOffset = offset
            guard let value = try sharpe(shifted) else { return nil }
            total += value
        }
        return total / Double(design.rebalance)
    }

    /// The ensemble's Sharpe on a setting's validation range.
    private static func validationSharpe(_ networks: [PolicyNetwork<Float>], _ setting: TrainingSetting) throws -> Double? {
        let allocator = PolicyAllocator(
            name: setting.name, members: networks, normalisation: setting.normalisation, regimeModel: setting.regimeModel,
            spec: setting.config.features, sleeves: setting.config.sleeves)
        return try Simulator.run(allocator, on: setting.dataset, settings: setting.validation).metrics.sharpe
    }

    /// `tau 0.5, band 0.02` (or `the config` when nothing is selected).
    static func describe(_ values: [String: Double]) -> String {
        values.isEmpty ? "the config" : values.keys.sorted().map { "\($0) \(values[$0]!)" }.joined(separator: ", ")
    }
}
