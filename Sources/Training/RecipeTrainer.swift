import Backtest
import Foundation
import LinearAlgebra
import Market
import ModelStore
import Policy
import Support

/// Trains a recipe (a training config) once per walk-forward fold, as production would have
/// retrained it (contract section 8): each fold's model sees only the dataset truncated at
/// the fold's last training row, validates on the last part of that window, and is published
/// as a version under the recipe's name so every fold model can be inspected and replayed.
package enum RecipeTrainer {
    /// One trained fold: its rows, the published version, and the model as published.
    package struct TrainedFold: Sendable {
        package let fold: WalkForward.Fold
        package let trainRows: ClosedRange<Int>
        package let validationRows: ClosedRange<Int>
        package let version: Int
        package let model: PolicyAllocator
    }

    /// The share of a fold's training window used for validation: the default split's
    /// (70% train, 15% validation of the rows before the test range), i.e. 15/85.
    package static let validationShare = 15.0 / 85.0

    /// The training and validation rows of a fold's window: validation is the last
    /// `validationShare` of it (at least a training window plus two rows) and ends one row
    /// before the window does, so its last return is still inside the window.
    package static func split(_ window: ClosedRange<Int>, config: TrainingConfig) -> (ClosedRange<Int>, ClosedRange<Int>)? {
        let validation = max(Int((Double(window.count) * validationShare).rounded()), config.window + 2)
        let validationEnd = window.upperBound - 1
        let validationStart = validationEnd - validation + 1
        let trainEnd = validationStart - 1
        guard trainEnd - config.window > window.lowerBound + 1 else { return nil }
        return (window.lowerBound...trainEnd, validationStart...validationEnd)
    }

    /// One fold of a recipe, ready to train: the config with the fold's training and
    /// validation dates, and the dataset truncated at the fold's last training row.
    package struct FoldPlan: Sendable {
        /// The recipe's name.
        package let name: String
        /// The fold's place among the recipe's folds (from 1), and their number.
        package let number: Int
        package let count: Int
        package let fold: WalkForward.Fold
        package let config: TrainingConfig
        package let data: Dataset
        package let trainRows: ClosedRange<Int>
        package let validationRows: ClosedRange<Int>
    }

    /// The plans of a recipe's folds, in fold order.
    /// - Throws: `PolicyTrainer.Failure` naming the fold whose window is too short.
    package static func plans(_ dataset: Dataset, config: TrainingConfig, name: String, folds: [WalkForward.Fold]) throws
        -> [FoldPlan]
    {
        try folds.enumerated().map { index, fold in
            guard let (train, validate) = split(fold.train, config: config) else {
                throw PolicyTrainer.Failure(
                    description:
                        "fold \(index + 1): the training window \(dataset.dates[fold.train.lowerBound])..\(dataset.dates[fold.train.upperBound]) is too short for a window of \(config.window)"
                )
            }
            var foldConfig = config
            foldConfig.train = "\(dataset.dates[train.lowerBound].day)..\(dataset.dates[train.upperBound].day)"
            foldConfig.validate = "\(dataset.dates[validate.lowerBound].day)..\(dataset.dates[validate.upperBound].day)"
            return FoldPlan(
                name: name, number: index + 1, count: folds.count, fold: fold, config: foldConfig,
                data: dataset.truncated(throughRow: fold.train.upperBound),
                trainRows: train, validationRows: validate)
        }
    }

    /// Trains every plan (of one recipe or of several), up to `jobs` at once, never more than
    /// the machine's cores, one BLAS thread each, so the outcomes do not depend on `jobs`;
    /// in plan order. `progress` gets a line per plan trained.
    package static func train(_ plans: [FoldPlan], jobs: Int, progress: @escaping @Sendable (String) -> Void = { _ in })
        -> [Result<PolicyTrainer.Outcome, any Error>]
    {
        BLASThreads.singleThreaded {
            Parallel.map(plans.count, width: jobs) { index in
                let plan = plans[index]
                let outcome = Result { () throws -> PolicyTrainer.Outcome in
                    try PolicyTrainer.train(plan.data, config: plan.config, name: plan.name)
                }
                progress("\(plan.name): fold \(plan.number)/\(plan.count) trained")
                return outcome
            }
        }
    }

    /// Publishes one recipe's trained folds in fold order as versions of its name, each
    /// marked as a fold model (`ModelManifest.Fold`: the recipe and the fold's test dates) so
    /// it is never mistaken for a production version.
    /// - Throws: the first failed fold's training failure (the folds before it published).
    package static func publish(
        _ outcomes: [Result<PolicyTrainer.Outcome, any Error>], of plans: [FoldPlan], dataset: Dataset, registry: ModelRegistry,
        dataDirectory: String
    ) throws -> [TrainedFold] {
        try zip(plans, outcomes).map { plan, result in
            let outcome = try result.get()
            let test = [plan.fold.test.lowerBound, plan.fold.test.upperBound].map { dataset.dates[$0].description }
            let version = try ModelPublisher.publish(
                outcome, name: plan.name, dataset: plan.data, dataDirectory: dataDirectory, registry: registry,
                fold: ModelManifest.Fold(recipe: plan.name, test: test))
            let model = try PolicyModel.load(ModelRegistry.Reference(parsing: "\(plan.name):\(version)")!, from: registry)
                .allocator
            return TrainedFold(
                fold: plan.fold, trainRows: plan.trainRows, validationRows: plan.validationRows, version: version, model: model)
        }
    }

    /// Trains every fold of one recipe (`plans`, then `train`) and publishes the fold models
    /// (`publish`).
    /// - Throws: `PolicyTrainer.Failure` naming the fold whose window is too short.
    package static func train(
        _ dataset: Dataset, config: TrainingConfig, name: String, folds: [WalkForward.Fold], jobs: Int, registry: ModelRegistry,
        dataDirectory: String, progress: @escaping @Sendable (String) -> Void = { _ in }
    ) throws -> [TrainedFold] {
        let plans = try plans(dataset, config: config, name: name, folds: folds)
        let outcomes = train(plans, jobs: jobs, progress: progress)
        return try publish(outcomes, of: plans, dataset: dataset, registry: registry, dataDirectory: dataDirectory)
    }
}
