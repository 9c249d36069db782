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

#if canImport(Glibc)
    import Glibc
#endif

/// `regimen-bench walk-forward`: a recipe retrained on every walk-forward fold and evaluated
/// on its stitched path against the baselines, as `regimen evaluate --configs` does; reports
/// the training and evaluation stages separately, and the peak memory. Each repeat trains
/// into a fresh registry (no warm-up run: the stages are seconds to minutes long).
struct WalkForwardWorkload: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "walk-forward", abstract: "Seconds to retrain a recipe per fold and evaluate it against the baselines.")

    @Option(help: "The dataset (default: a synthetic market of 8 assets x 1,500 days).") var data: String?
    @Option(help: "The training config (default: every default).") var config: String?
    @Option(name: .customLong("walk-forward"), help: "TRAIN:TEST[:rolling|expanding], periods or 4y, 6m, 90d.") var walkForward =
        "365:365:expanding"
    @Option(help: "First return date (default: the row after the first training window).") var from: String?
    @Option(help: "Last return date (default: the data's last).") var to: String?
    @Option(help: "Folds trained at once.") var jobs: Int = 1
    @Option(help: "Timed repeats (the median is reported).") var repeats: Int = 1

    func run() throws {
        AllocatorTuning.retainFreedMemory()
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
            "regimen-bench-walk-forward-\(ProcessInfo.processInfo.processIdentifier)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let directory = data ?? scratch.appendingPathComponent("data").path
        if data == nil { try SyntheticMarket(assets: 8, periods: 1500, seed: 7).files.write(to: URL(fileURLWithPath: directory)) }
        // The defaults as a recipe file: the study reads recipes from files, as `evaluate` does.
        let recipe = config ?? scratch.appendingPathComponent("recipe.yaml").path
        if config == nil { try AtomicFile.write(Data("{}\n".utf8), to: URL(fileURLWithPath: recipe)) }
        let plan = try studyPlan(directory: directory, recipe: recipe)
        var trainSeconds: [Double] = []
        var evaluateSeconds: [Double] = []
        var folds = 0
        let clock = ContinuousClock()
        for repeat_ in 0..<repeats {
            let registry = ModelRegistry(root: scratch.appendingPathComponent("models-\(repeat_)"))
            var assembled: (market: Dataset, request: Comparison.Request)?
            let training = try clock.measure { assembled = try EvaluationStudy.assemble(plan, registry: registry) }
            let (market, request) = assembled!
            folds = request.folds.count
            let evaluation = try clock.measure { _ = try Comparison.runWithOverfitting(market, request) }
            trainSeconds.append(Self.seconds(training))
            evaluateSeconds.append(Self.seconds(evaluation))
        }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let total = zip(trainSeconds, evaluateSeconds).map { $0 + $1 }
        var line = Measurement(secondsPerStep: total).fields(flopsPerStep: nil)
        line["workload"] = "walk-forward"
        line["train_seconds"] = Measurement(secondsPerStep: trainSeconds).median
        line["evaluate_seconds"] = Measurement(secondsPerStep: evaluateSeconds).median
        line["peak_memory_mb"] = Double(usage.ru_maxrss) / 1024
        line["params"] =
            [
                "data": data ?? "synthetic 8x1500", "config": config ?? "defaults", "walk_forward": walkForward,
                "folds": folds, "jobs": jobs, "from": plan.from.description, "to": plan.to.description,
            ] as [String: Any]
        line["threads"] = 1
        printJSONLine(line)
    }

    /// The study `evaluate --configs RECIPE --baselines all --fee-bps 10` would run.
    private func studyPlan(directory: String, recipe: String) throws -> EvaluationStudy.Plan {
        let spec: WalkForwardSpec
        do { spec = try WalkForwardSpec(parsing: walkForward) } catch { throw ValidationError("\(error)") }
        let dates = try DatasetReader.load(directory: directory).dates
        guard let firstTest = spec.firstTestRow(dates: dates) else {
            throw ValidationError("--walk-forward \(walkForward): the data are shorter than one training length")
        }
        let first = try from.map { try date($0, dates) } ?? dates[firstTest]
        let last = try to.map { try date($0, dates) } ?? dates[dates.endIndex - 1]
        var plan = EvaluationStudy.Plan(dataDirectory: directory, from: first, to: last)
        plan.recipes = [recipe]
        plan.feeBasisPoints = 10
        plan.walkForward = spec
        plan.jobs = jobs
        plan.quiet = true
        return plan
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }

    private func date(_ text: String, _ dates: ArraySlice<Timestamp>) throws -> Timestamp {
        guard let date = Timestamp(parsing: text), dates.contains(date) else {
            throw ValidationError("\(text) is not a date of the data")
        }
        return date
    }
}
