import Backtest
import Baselines
import Foundation
import Market
import ModelStore
import Policy
import Portfolio
import Support
import Training

/// What `regimen evaluate` runs, as a library value: model versions, training recipes
/// retrained walk-forward, and baselines, assembled into one `Comparison.Request` on the same
/// periods, costs, funding and limits. The command parses options into a `Plan`; `regimen-bench
/// walk-forward` and tests run the same code.
package enum EvaluationStudy {
    /// The inputs of a study.
    package struct Plan: Sendable {
        /// The dataset directory (also fingerprints the recipes' fold models).
        package var dataDirectory: String
        package var versions: [ModelRegistry.Reference] = []
        /// Training configs (recipes), retrained on every walk-forward fold.
        package var recipes: [String] = []
        package var baselines: [BaselineSpec] = BaselineSpec.plain
        /// The allocator significance is measured against (a baseline's name or an allocator's;
        /// a baseline spelled `NAME:sample` is normalised to `NAME`).
        package var reference = "equal-weight"
        package var from: Timestamp
        package var to: Timestamp
        /// Nil: the dataset's `fee_bps`, else 0.
        package var feeBasisPoints: Double?
        package var rebalance = RebalanceSchedule.every(1)
        /// Starting capitals in USD for market impact: the first for the evaluation, each one
        /// a column of the capacity table (`Comparison.Request.assetsUnderManagement`).
        package var assetsUnderManagement: [Double] = []
        package var walkForward: WalkForwardSpec?
        /// The daily job's limits file, applied to every decision of every allocator.
        package var limits: String?
        package var riskWindow = 90
        package var allowInSample = false
        package var seed: UInt64 = 7
        /// The strategies tried on these dates, for the deflated Sharpe ratio (nil: the allocators).
        package var trials: Int?
        /// Folds trained at once (of all the recipes) and allocators simulated at once (the
        /// result does not depend on it).
        package var jobs = 1
        /// No progress bar on stderr.
        package var quiet = false

        package init(dataDirectory: String, from: Timestamp, to: Timestamp) {
            self.dataDirectory = dataDirectory
            self.from = from
            self.to = to
        }
    }

    /// A study that does not fit its data or its registry (64).
    package struct Problem: ReportableError {
        package let description: String
        package var exitStatus: Int32 { ExitStatus.usage }
    }

    /// The outcome: the report's entries and what it needs to be written.
    package struct Outcome {
        package let market: Dataset
        package let request: Comparison.Request
        package let entries: [Comparison.Entry]
        package let pbo: Double?
    }

    /// Assembles the study and evaluates everything on the same return rows.
    package static func run(_ plan: Plan, registry: ModelRegistry) throws -> Outcome {
        let (market, request) = try assemble(plan, registry: registry)
        let (entries, _, pbo) = try Comparison.runWithOverfitting(market, request)
        return Outcome(market: market, request: request, entries: entries, pbo: pbo)
    }

    /// Loads the data, the versions and the recipes, and trains each recipe on every fold: the
    /// request `Evaluation` runs. A progress bar on stderr has a step per fold trained (none
    /// with `plan.quiet`).
    package static func assemble(_ plan: Plan, registry: ModelRegistry) throws -> (market: Dataset, request: Comparison.Request) {
        // Every version and recipe is read and checked before the first recipe trains.
        let (models, inSample) = try loadVersions(plan, registry: registry)
        let configs = try plan.recipes.map { (path: $0, config: try readRecipe($0)) }
        let market = try DatasetReader.load(directory: plan.dataDirectory)
        let (first, last) = try returnRows(plan, market)
        var request = Comparison.Request(
            allocators: models + withoutOverlay(models) + baselines(plan).map { Baseline($0) as any Allocator },
            firstReturnRow: first, lastReturnRow: last,
            feeBasisPoints: plan.feeBasisPoints ?? market.config.feeBasisPoints ?? 0, rebalance: plan.rebalance)
        request.reference = try referenceName(plan.reference)
        request.seed = plan.seed
        request.trials = plan.trials
        request.inSample = inSample
        request.assetsUnderManagement = plan.assetsUnderManagement
        request.jobs = plan.jobs
        if let path = plan.limits {
            let limits = try RiskLimits.read(path)
            let labels = models.compactMap { ($0 as? PolicyAllocator)?.regimeLabels }
            try limits.checkNames(
                assets: market.assets, regimeLabels: labels.isEmpty ? nil : Array(Set(labels.joined())).sorted())
            request.limits = limits
            request.riskWindow = plan.riskWindow
        }
        if let spec = plan.walkForward {
            request.folds = try spec.folds(dates: market.dates, returnRows: first...last)
            let progress = Progress("evaluate", total: configs.count * request.folds.count, unit: "folds", quiet: plan.quiet)
            defer { progress.finish() }
            let recipes = try trainRecipes(configs, market: market, plan: plan, folds: request.folds, registry: registry) {
                progress.step($0)
            }
            let policies = recipes.map(\.policy)
            request.allocators.insert(contentsOf: policies + withoutOverlay(policies), at: 0)
            for recipe in recipes { request.recipeFolds[recipe.policy.name] = recipe.folds }
        }
        return (market, request)
    }

    /// A recipe's name: its config's file name (as `regimen train` names a model).
    package static func recipeName(_ path: String) -> String {
        URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
    }

    /// The allocator name of a reference: a baseline's normalised name (`NAME:sample` is
    /// `NAME`), else the text as given (a model's or a recipe's name).
    /// - Throws: `Problem` (64) for a baseline's name with a bad suffix (`min-variance:foo`,
    ///   `equal-weight:ewma`) that is no model reference either.
    package static func referenceName(_ text: String) throws(Problem) -> String {
        do { return try BaselineSpec(parsing: text).name } catch {
            if error.namesBaseline && ModelRegistry.Reference(parsing: text) == nil {
                throw Problem(description: "--reference: \(error)")
            }
            return text
        }
    }

    /// The baselines to run, the reference first when it is a baseline not asked for.
    static func baselines(_ plan: Plan) -> [BaselineSpec] {
        var specs = plan.baselines
        if let reference = try? BaselineSpec(parsing: plan.reference), !specs.contains(reference) {
            specs.insert(reference, at: 0)
        }
        return specs
    }

    /// A model with an options overlay meets the same model without it.
    static func withoutOverlay(_ allocators: [any Allocator]) -> [any Allocator] {
        allocators.filter { $0.overlay != nil }.map { WithoutOverlay($0) as any Allocator }
    }

    /// The versions, refusing any evaluated inside its own training or validation range
    /// unless the plan allows it (then it is marked in-sample).
    static func loadVersions(_ plan: Plan, registry: ModelRegistry) throws -> ([any Allocator], Set<String>) {
        var models: [any Allocator] = []
        var inSample: Set<String> = []
        for reference in plan.versions {
            let (allocator, manifest) = try PolicyModel.load(reference, from: registry)
            if let overlap = manifest.inSampleOverlap(plan.from, plan.to) {
                guard plan.allowInSample else { throw Problem(description: manifest.inSampleMessage(overlap)) }
                inSample.insert(allocator.name)
            }
            models.append(allocator)
        }
        return (models, inSample)
    }

    /// A recipe's config, its own dates cleared (the folds set them); refused when a value
    /// breaks a rule.
    static func readRecipe(_ path: String) throws -> TrainingConfig {
        let text = try InputFile.text(path, limit: InputFile.settingsLimit)
        var config = try YAMLDocument.decode(TrainingConfig.self, from: text, file: path)
        config.train = nil
        config.validate = nil
        if let problem = config.problems.first { throw YAMLDocument.problem(problem, placedIn: text, file: path) }
        return config
    }

    /// The return rows of the plan's dates.
    static func returnRows(_ plan: Plan, _ market: Dataset) throws(Problem) -> (Int, Int) {
        guard let first = market.row(at: plan.from), let last = market.row(at: plan.to), first < last else {
            throw Problem(
                description:
                    "--from \(plan.from) and --to \(plan.to) must be dates of \(plan.dataDirectory)/prices.csv (which runs from \(market.dates.first!) to \(market.dates.last!)), --from first"
            )
        }
        return (first, last)
    }
}
