import ArgumentParser
import Backtest
import Baselines
import Evaluation
import Foundation
import Market
import ModelStore
import Policy
import Portfolio
import Support
import Training

/// `regimen evaluate --data DIR --baselines all|a,b --from D --to D [--fee-bps X]
/// [--rebalance every:N] --report DIR`.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Compare allocators on the same periods, costs and funding: report.json and report.html.",
        discussion:
            "Model versions (--versions NAME:V,NAME@ALIAS) and baselines meet the same simulator, periods, costs and funding.")

    @Option(help: "The dataset directory.") var data: String
    @Option(help: "The model registry (default models/).") var models: String = "models"
    @Option(help: "Model versions NAME:V or NAME@ALIAS, comma-separated.") var versions: String?
    @Option(
        help:
            "Training configs (recipes), comma-separated: each is retrained on every --walk-forward fold, published under --models, and evaluated on the stitched out-of-sample path."
    )
    var configs: String?
    @Option(help: "Folds trained at once (one BLAS thread each; the result does not depend on it).") var jobs: Int = 1
    @Flag(help: "No progress lines.") var quiet = false
    @Option(help: "all, none, or baselines separated by commas.") var baselines: String = "all"
    @Option(help: "First return date (YYYY-MM-DD).") var from: String
    @Option(help: "Last return date (YYYY-MM-DD).") var to: String
    @Option(name: .customLong("fee-bps"), help: "Fee in basis points (default: dataset.yaml's fee_bps, else 0).") var feeBps:
        Double?
    @Option(help: "every:N or drift:X.") var rebalance: String = "every:1"
    @Option(help: "The allocator significance is measured against.") var reference: String = "equal-weight"
    @Option(name: .customLong("walk-forward"), help: "TRAIN:TEST[:rolling|expanding] fold lengths in periods.") var walkForward:
        String?
    @Option(help: "Seed of the bootstrap.") var seed: UInt64 = 7
    @Flag(
        name: .customLong("allow-in-sample"),
        help: "Evaluate versions on dates they were trained or validated on (marked in_sample).")
    var allowInSample = false
    @Option(help: "The daily job's limits file: every decision of every allocator goes through it.") var limits: String?
    @Option(name: .customLong("risk-window"), help: "Returns in the window the limits are measured on.") var riskWindow: Int = 90
    @Option(help: "The directory to write report.json and report.html into.") var report: String

    func validate() throws {
        guard RebalanceSchedule(parsing: rebalance) != nil else {
            throw ValidationError("--rebalance must be every:N or drift:X; found '\(rebalance)'")
        }
        if let feeBps, !(feeBps >= 0) { throw ValidationError("--fee-bps must be non-negative; found \(feeBps)") }
        _ = try baselineList()
        _ = try walkForwardSpec()
        guard let first = Timestamp(parsing: from), let last = Timestamp(parsing: to) else {
            throw ValidationError("--from and --to must be dates YYYY-MM-DD; found '\(from)' and '\(to)'")
        }
        guard first < last else { throw ValidationError("--from \(from) must be before --to \(to)") }
        guard riskWindow >= 2 else { throw ValidationError("--risk-window must be at least 2; found \(riskWindow)") }
        guard jobs >= 1 && jobs <= 64 else { throw ValidationError("--jobs must be from 1 to 64; found \(jobs)") }
        if configs != nil && walkForward == nil {
            throw ValidationError("--configs needs --walk-forward TRAIN:TEST[:rolling|expanding] (the folds to retrain on)")
        }
        var names: Set<String> = []
        for path in recipePaths {
            let name = Self.recipeName(path)
            guard ModelRegistry.isValidName(name) else {
                throw ValidationError("the recipe name '\(name)' (from \(path)) must be \(ModelRegistry.nameRule)")
            }
            guard names.insert(name).inserted else {
                throw ValidationError("two --configs are named '\(name)'; recipes are named by their file names")
            }
        }
    }

    func baselineList() throws -> [BaselineName] {
        if baselines == "all" { return BaselineName.allCases }
        if baselines == "none" { return [] }
        return try baselines.split(separator: ",").map { name in
            guard let rule = BaselineName(rawValue: String(name)) else {
                throw ValidationError(
                    "unknown baseline '\(name)'; valid: all, \(BaselineName.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return rule
        }
    }

    func walkForwardSpec() throws -> (train: Int, test: Int, window: WalkForward.Window)? {
        guard let walkForward else { return nil }
        let parts = walkForward.split(separator: ":").map(String.init)
        guard parts.count == 2 || parts.count == 3, let train = Int(parts[0]), let test = Int(parts[1]), train > 0, test > 0,
            let window = parts.count == 3 ? WalkForward.Window(rawValue: parts[2]) : .expanding
        else {
            throw ValidationError(
                "--walk-forward must be TRAIN:TEST[:rolling|expanding] with positive lengths; found '\(walkForward)'")
        }
        return (train, test, window)
    }

    /// The `--configs` paths.
    var recipePaths: [String] { configs?.split(separator: ",").map(String.init) ?? [] }

    /// A recipe's name: its config's file name (as `regimen train` names a model).
    static func recipeName(_ path: String) -> String { URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent }

    /// Trains each recipe on every fold and returns them as stitched allocators with their folds.
    func recipes(_ market: Dataset, folds: [WalkForward.Fold], registry: ModelRegistry) throws -> [(
        WalkForwardPolicy, [Evaluation.RecipeFold]
    )] {
        // Every recipe is read and checked before the first one trains, so a bad or missing
        // file is refused at once, not after the recipes before it have trained.
        let configs = try recipePaths.map { path in
            var config = try YAMLDocument.decode(
                TrainingConfig.self, from: InputFile.text(path, limit: InputFile.settingsLimit), file: path)
            config.train = nil
            config.validate = nil
            if let problem = config.problems.first {
                throw CommandFailure(description: "\(path): \(problem)", status: ExitStatus.badData)
            }
            return (path, config)
        }
        // One bar over every recipe's folds: a step per fold trained.
        let progress = Progress("evaluate", total: configs.count * folds.count, unit: "folds", quiet: quiet)
        defer { progress.finish() }
        return try configs.map { path, config in
            let name = Self.recipeName(path)
            let trained: [RecipeTrainer.TrainedFold]
            do {
                trained = try RecipeTrainer.train(
                    market, config: config, name: name, folds: folds, jobs: jobs, registry: registry, dataDirectory: data
                ) { progress.step($0) }
            } catch let failure as PolicyTrainer.Failure {
                throw CommandFailure(description: "\(path): \(failure.description)", status: ExitStatus.badData)
            }
            let date = { (row: Int) in market.dates[row].description }
            return (
                WalkForwardPolicy(recipe: name, folds: trained.map { .init(returnRows: $0.fold.test, model: $0.model) }),
                trained.map {
                    Evaluation.RecipeFold(
                        train: [date($0.trainRows.lowerBound), date($0.trainRows.upperBound)],
                        validate: [date($0.validationRows.lowerBound), date($0.validationRows.upperBound)],
                        test: [date($0.fold.test.lowerBound), date($0.fold.test.upperBound)], version: $0.version)
                }
            )
        }
    }

    func run() throws {
        try withExitStatus {
            var modelAllocators: [any Allocator] = []
            var inSample: Set<String> = []
            let registry = ModelRegistry(root: URL(fileURLWithPath: models))
            for text in versions?.split(separator: ",").map(String.init) ?? [] {
                guard let reference = ModelRegistry.Reference(parsing: text) else {
                    throw ValidationError("--versions takes NAME:VERSION or NAME@ALIAS separated by commas; found '\(text)'")
                }
                let (allocator, manifest) = try PolicyModel.load(reference, from: registry)
                if let first = Timestamp(parsing: from), let last = Timestamp(parsing: to),
                    let overlap = manifest.inSampleOverlap(first, last)
                {
                    guard allowInSample else { throw ValidationError(manifest.inSampleMessage(overlap)) }
                    inSample.insert(allocator.name)
                }
                modelAllocators.append(allocator)
            }
            let market = try DatasetReader.load(directory: data)
            guard let firstDate = Timestamp(parsing: from), let lastDate = Timestamp(parsing: to) else {
                throw ValidationError("--from and --to must be dates YYYY-MM-DD")
            }
            guard let first = market.row(at: firstDate), let last = market.row(at: lastDate), first < last else {
                throw CommandFailure(
                    description:
                        "--from \(from) and --to \(to) must be dates of \(data)/prices.csv (which runs from \(market.dates.first!) to \(market.dates.last!)), --from first",
                    status: ExitStatus.badData)
            }
            var rules = try baselineList()
            if !rules.contains(where: { $0.rawValue == reference }), let rule = BaselineName(rawValue: reference) {
                rules.insert(rule, at: 0)
            }
            // A model with an options overlay meets the same model without it.
            let plainModels = modelAllocators.filter { $0.overlay != nil }.map { WithoutOverlay($0) as any Allocator }
            var request = Evaluation.Request(
                allocators: modelAllocators + plainModels + rules.map { Baseline($0) as any Allocator }, firstReturnRow: first,
                lastReturnRow: last,
                feeBasisPoints: feeBps ?? market.config.feeBasisPoints ?? 0, rebalance: RebalanceSchedule(parsing: rebalance)!)
            request.reference = reference
            request.seed = seed
            request.inSample = inSample
            if let limits {
                let parsed = try RiskLimits.read(limits)
                let labels = modelAllocators.compactMap { ($0 as? PolicyAllocator)?.regimeLabels }
                try parsed.checkNames(
                    assets: market.assets, regimeLabels: labels.isEmpty ? nil : Array(Set(labels.joined())).sorted())
                request.limits = parsed
                request.riskWindow = riskWindow
            }
            if let spec = try walkForwardSpec() {
                guard first - spec.train >= 0 else {
                    throw CommandFailure(
                        description: "--walk-forward: \(spec.train) training periods do not fit before \(from)",
                        status: ExitStatus.usage)
                }
                request.walkForward = spec
                let folds = WalkForward(
                    range: first...last, trainLength: spec.train, testLength: spec.test, window: spec.window
                ).folds
                let trained = try recipes(market, folds: folds, registry: registry)
                request.allocators.insert(
                    contentsOf: trained.map { $0.0 as any Allocator }
                        + trained.filter { $0.0.overlay != nil }.map { WithoutOverlay($0.0) as any Allocator }, at: 0)
                for (recipe, recipeFolds) in trained { request.recipeFolds[recipe.name] = recipeFolds }
            }
            let (entries, folds, pbo): ([Evaluation.Entry], [WalkForward.Fold], Double?)
            do {
                (entries, folds, pbo) = try Evaluation.runWithOverfitting(market, request)
            } catch let failure as Evaluation.Failure {
                throw CommandFailure(description: failure.description, status: ExitStatus.usage)
            }
            let directory = URL(fileURLWithPath: report)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let rowDates = market.dates.map(\.description)
            let json = ReportFile(entries, folds: folds, request: request, dates: rowDates, pbo: pbo)
            try AtomicFile.write(try CanonicalJSON.encode(json), to: directory.appendingPathComponent("report.json"))
            let html = ReportHTML.render(json, datasetName: data)
            try AtomicFile.write(Data(html.utf8), to: directory.appendingPathComponent("report.html"))
            printNote("wrote \(report)/report.json and report.html: \(entries.count) allocators, \(from) .. \(to)")
        }
    }
}
