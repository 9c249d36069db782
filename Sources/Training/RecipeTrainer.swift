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

    /// Trains every fold (up to `jobs` at once, never more than the machine's cores, one BLAS
    /// thread each, so the result does not depend on `jobs`), then publishes the fold models
    /// in fold order as versions of `name`, each marked as a fold model (`ModelManifest.Fold`:
    /// the recipe and the fold's test dates) so it is never mistaken for a production version.
    /// - Throws: `PolicyTrainer.Failure` naming the fold whose window is too short.
    package static func train(
        _ dataset: Dataset, config: TrainingConfig, name: String, folds: [WalkForward.Fold], jobs: Int, registry: ModelRegistry,
        dataDirectory: String, progress: @escaping @Sendable (String) -> Void = { _ in }
    ) throws -> [TrainedFold] {
        var plans:
            [(fold: WalkForward.Fold, config: TrainingConfig, data: Dataset, train: ClosedRange<Int>, validate: ClosedRange<Int>)] =
                []
        for (index, fold) in folds.enumerated() {
            guard let (train, validate) = split(fold.train, config: config) else {
                throw PolicyTrainer.Failure(
                    description:
                        "fold \(index + 1): the training window \(dataset.dates[fold.train.lowerBound])..\(dataset.dates[fold.train.upperBound]) is too short for a window of \(config.window)"
                )
            }
            var foldConfig = config
            foldConfig.train = "\(dataset.dates[train.lowerBound].day)..\(dataset.dates[train.upperBound].day)"
            foldConfig.validate = "\(dataset.dates[validate.lowerBound].day)..\(dataset.dates[validate.upperBound].day)"
            plans.append((fold, foldConfig, dataset.truncated(throughRow: fold.train.upperBound), train, validate))
        }
        let count = plans.count
        let inputs = plans.map { (data: $0.data, config: $0.config) }
        let outcomes = BLASThreads.singleThreaded {
            Parallel.map(count, width: jobs) { index in
                let outcome = Result { try PolicyTrainer.train(inputs[index].data, config: inputs[index].config, name: name) }
                progress("\(name): fold \(index + 1)/\(count) trained")
                return outcome
            }
        }
        var trained: [TrainedFold] = []
        for (index, plan) in plans.enumerated() {
            let outcome = try outcomes[index].get()
            let test = [plan.fold.test.lowerBound, plan.fold.test.upperBound].map { dataset.dates[$0].description }
            let version = try ModelPublisher.publish(
                outcome, name: name, dataset: plan.data, dataDirectory: dataDirectory, registry: registry,
                fold: ModelManifest.Fold(recipe: name, test: test))
            let model = try PolicyModel.load(ModelRegistry.Reference(parsing: "\(name):\(version)")!, from: registry).allocator
            trained.append(
                TrainedFold(fold: plan.fold, trainRows: plan.train, validationRows: plan.validate, version: version, model: model)
            )
        }
        return trained
    }
}
