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

    /// Trains every recipe on every fold (contract section 8) and publishes each fold's model
    /// under `registry`, recipe by recipe in the order given. The folds of all the recipes
    /// train as one pool of `plan.jobs` at once (a recipe's last fold does not hold the next
    /// recipe back); every plan is made before the first fold trains.
    /// - Throws: `PolicyTrainer.Failure` placed in the recipe's file, for the first recipe
    ///   (in order) whose window is too short or whose training fails; the recipes before it
    ///   are published.
    static func trainRecipes(
        _ configs: [(path: String, config: TrainingConfig)], market: Dataset, plan: Plan, folds: [WalkForward.Fold],
        registry: ModelRegistry, _ progress: @escaping @Sendable (String) -> Void
    ) throws -> [TrainedRecipe] {
        let plans = try configs.map { path, config in
            try located(path) { try RecipeTrainer.plans(market, config: config, name: recipeName(path), folds: folds) }
        }
        let outcomes = RecipeTrainer.train(plans.flatMap { $0 }, jobs: plan.jobs, progress: progress)
        var first = 0
        return try zip(configs, plans).map { recipe, recipePlans in
            let own = Array(outcomes[first..<(first + recipePlans.count)])
            first += recipePlans.count
            let trained = try located(recipe.path) {
                try RecipeTrainer.publish(
                    own, of: recipePlans, dataset: market, registry: registry, dataDirectory: plan.dataDirectory)
            }
            return trainedRecipe(recipeName(recipe.path), trained, market: market)
        }
    }

    /// `body`, with a training failure placed in the recipe's file.
    private static func located<Result>(_ path: String, _ body: () throws -> Result) throws -> Result {
        do { return try body() } catch let failure as PolicyTrainer.Failure { throw LocatedError(place: path, failure) }
    }

    /// The stitched policy of a recipe's trained folds and the folds' dates for the report.
    private static func trainedRecipe(_ name: String, _ trained: [RecipeTrainer.TrainedFold], market: Dataset) -> TrainedRecipe {
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
