import Backtest
import Market
import ModelStore
import Support
import Training

extension EvaluationStudy {
    /// A recipe trained on every fold: its stitched out-of-sample policy and the folds'
    /// dates and versions for the report.
    struct TrainedRecipe {
        let policy: WalkForwardPolicy
        let folds: [Comparison.RecipeFold]
    }

    /// Trains the recipe at `path` on every fold (contract section 8) and publishes each
    /// fold's model under `registry`.
    static func trainRecipe(
        _ path: String, _ config: TrainingConfig, market: Dataset, plan: Plan, folds: [WalkForward.Fold], registry: ModelRegistry,
        _ progress: @escaping @Sendable (String) -> Void
    ) throws -> TrainedRecipe {
        let name = recipeName(path)
        let trained: [RecipeTrainer.TrainedFold]
        do {
            trained = try RecipeTrainer.train(
                market, config: config, name: name, folds: folds, jobs: plan.jobs, registry: registry,
                dataDirectory: plan.dataDirectory, progress: progress)
        } catch let failure as PolicyTrainer.Failure {
            throw LocatedError(place: path, failure)
        }
        let date = { (row: Int) in market.dates[row].description }
        return TrainedRecipe(
            policy: WalkForwardPolicy(recipe: name, folds: trained.map { .init(returnRows: $0.fold.test, model: $0.model) }),
            folds: trained.map {
                Comparison.RecipeFold(
                    train: [date($0.trainRows.lowerBound), date($0.trainRows.upperBound)],
                    validate: [date($0.validationRows.lowerBound), date($0.validationRows.upperBound)],
                    test: [date($0.fold.test.lowerBound), date($0.fold.test.upperBound)], version: $0.version)
            })
    }
}
