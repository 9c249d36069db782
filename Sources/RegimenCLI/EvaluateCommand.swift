import ArgumentParser
import CommandSupport
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
/// [--rebalance every:N] [--aum A1,A2,...] --report DIR`.
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
    @Option(
        help:
            "Folds trained at once, of all the recipes (one BLAS thread each), and allocators simulated at once; the result does not depend on it."
    ) var jobs: Int = 1
    @Flag(help: "No progress lines.") var quiet = false
    @Option(
        help:
            "all (the 14 plain baselines), none, or baselines separated by commas; a covariance baseline may name its estimator: min-variance:ledoit-wolf."
    )
    var baselines: String = "all"
    @Option(help: "First return date (YYYY-MM-DD).") var from: String
    @Option(help: "Last return date (YYYY-MM-DD).") var to: String
    @Option(name: .customLong("fee-bps"), help: "Fee in basis points (default: dataset.yaml's fee_bps, else 0).") var feeBps:
        Double?
    @Option(help: "every:N or drift:X.") var rebalance: String = "every:1"
    @Option(
        help:
            "Starting capitals in USD (0 to 1e15), comma-separated, for square-root market impact on ohlcv.csv's volume: the evaluation and the verdict at the first, and a capacity table at each."
    )
    var aum: String?
    @Option(help: "The allocator significance is measured against.") var reference: String = "equal-weight"
    @Option(
        name: .customLong("walk-forward"),
        help: "TRAIN:TEST[:rolling|expanding]: folds in periods (1461) or calendar lengths (4y, 6m, 90d).") var walkForward:
        String?
    @Option(help: "Seed of the bootstrap.") var seed: UInt64 = 7
    @Option(
        help:
            "Strategies tried on these dates, which the deflated Sharpe ratio counts when more than the allocators compared (every recipe and grid point tried, not only those reported)."
    ) var trials: Int?
    @Flag(
        name: .customLong("allow-in-sample"),
        help: "Evaluate versions on dates they were trained or validated on (marked in_sample).")
    var allowInSample = false
    @Option(help: "The daily job's limits file: every decision of every allocator goes through it.") var limits: String?
    @Option(name: .customLong("risk-window"), help: "Returns in the window the limits are measured on.") var riskWindow: Int = 90
    @Option(help: "The directory to write report.json and report.html into.") var report: String

    func validate() throws {
        _ = try plan()
        try OptionRange.check(riskWindow, in: OptionRange.window, option: "--risk-window")
        guard jobs >= 1 && jobs <= 64 else { throw ValidationError("--jobs must be from 1 to 64; found \(jobs)") }
        if configs != nil && walkForward == nil {
            throw ValidationError("--configs needs --walk-forward \(WalkForwardSpec.grammar) (the folds to retrain on)")
        }
        var names: Set<String> = []
        for path in recipePaths {
            let name = EvaluationStudy.recipeName(path)
            guard ModelRegistry.isValidName(name) else {
                throw ValidationError("the recipe name '\(name)' (from \(path)) must be \(ModelRegistry.nameRule)")
            }
            guard names.insert(name).inserted else {
                throw ValidationError("two --configs are named '\(name)'; recipes are named by their file names")
            }
        }
    }

    /// The `--configs` paths.
    var recipePaths: [String] { configs?.split(separator: ",").map(String.init) ?? [] }

    /// The options as a study plan.
    func plan() throws -> EvaluationStudy.Plan {
        guard let first = Timestamp(parsing: from), let last = Timestamp(parsing: to) else {
            throw ValidationError("--from and --to must be dates YYYY-MM-DD; found '\(from)' and '\(to)'")
        }
        guard first < last else { throw ValidationError("--from \(from) must be before --to \(to)") }
        guard let schedule = RebalanceSchedule(parsing: rebalance) else {
            throw ValidationError("--rebalance must be every:N or drift:X; found '\(rebalance)'")
        }
        if let feeBps { try OptionRange.check(feeBps, in: OptionRange.feeBasisPoints, option: "--fee-bps") }
        var plan = EvaluationStudy.Plan(dataDirectory: data, from: first, to: last)
        plan.versions =
            try versions?.split(separator: ",").map { text in
                guard let reference = ModelRegistry.Reference(parsing: String(text)) else {
                    throw ValidationError("--versions takes NAME:VERSION or NAME@ALIAS separated by commas; found '\(text)'")
                }
                return reference
            } ?? []
        plan.recipes = recipePaths
        do { plan.baselines = try BaselineSpec.list(parsing: baselines) } catch { throw ValidationError("--baselines: \(error)") }
        do { plan.reference = try EvaluationStudy.referenceName(reference) } catch { throw ValidationError("\(error)") }
        plan.feeBasisPoints = feeBps
        plan.assetsUnderManagement = try aum.map { try AssetsUnderManagementOption.parse($0, list: true) } ?? []
        plan.rebalance = schedule
        do { plan.walkForward = try walkForward.map { try WalkForwardSpec(parsing: $0) } } catch {
            throw ValidationError("\(error)")
        }
        plan.limits = limits
        plan.riskWindow = riskWindow
        plan.allowInSample = allowInSample
        plan.seed = seed
        if let trials { try OptionRange.check(trials, in: 1...1_000_000, option: "--trials") }
        plan.trials = trials
        plan.jobs = jobs
        plan.quiet = quiet
        return plan
    }

    func run() throws {
        try withExitStatus {
            try OutputFolder.check(report, option: "--report", purpose: "report.json and report.html")
            try OutputFolder.check(models, option: "--models", purpose: "the model registry")
            let study = try EvaluationStudy.run(try plan(), registry: ModelRegistry(root: URL(fileURLWithPath: models)))
            let directory = URL(fileURLWithPath: report)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let json = ReportFile(
                study.entries, folds: study.request.folds, request: study.request, dates: study.market.dates.map(\.description),
                pbo: study.pbo)
            try AtomicFile.write(try CanonicalJSON.encode(json), to: directory.appendingPathComponent("report.json"))
            try AtomicFile.write(
                Data(ReportHTML.render(json, datasetName: data).utf8), to: directory.appendingPathComponent("report.html"))
            printNote("wrote \(report)/report.json and report.html: \(study.entries.count) allocators, \(from) .. \(to)")
        }
    }
}
