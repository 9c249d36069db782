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
    @Option(name: .customLong("walk-forward"), help: "TRAIN:TEST:rolling|expanding in periods.") var walkForward =
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
        let market = try DatasetReader.load(directory: directory)
        var recipe = TrainingConfig()
        if let config {
            recipe = try YAMLDocument.decode(
                TrainingConfig.self, from: InputFile.text(config, limit: InputFile.settingsLimit), file: config)
        }
        recipe.train = nil
        recipe.validate = nil
        let parts = walkForward.split(separator: ":").map(String.init)
        guard parts.count == 3, let train = Int(parts[0]), let test = Int(parts[1]),
            let window = WalkForward.Window(rawValue: parts[2])
        else { throw ValidationError("--walk-forward must be TRAIN:TEST:rolling|expanding") }
        let first = try from.map { try row($0, market) } ?? train
        let last = try to.map { try row($0, market) } ?? market.rowCount - 1
        let folds = WalkForward(range: first...last, trainLength: train, testLength: test, window: window).folds
        var trainSeconds: [Double] = []
        var evaluateSeconds: [Double] = []
        let clock = ContinuousClock()
        for repeat_ in 0..<repeats {
            let registry = ModelRegistry(root: scratch.appendingPathComponent("models-\(repeat_)"))
            var trained: [RecipeTrainer.TrainedFold] = []
            let training = try clock.measure {
                trained = try RecipeTrainer.train(
                    market, config: recipe, name: "recipe", folds: folds, jobs: jobs, registry: registry, dataDirectory: directory
                )
            }
            let policy = WalkForwardPolicy(
                recipe: "recipe", folds: trained.map { .init(returnRows: $0.fold.test, model: $0.model) })
            let request = Evaluation.Request(
                allocators: [policy] + BaselineName.allCases.map { Baseline($0) as any Allocator }, firstReturnRow: first,
                lastReturnRow: last, feeBasisPoints: 10, rebalance: .every(1))
            let evaluation = try clock.measure { _ = try Evaluation.runWithOverfitting(market, request) }
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
                "folds": folds.count, "jobs": jobs, "from": market.dates[first].description, "to": market.dates[last].description,
            ] as [String: Any]
        line["threads"] = 1
        printJSONLine(line)
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }

    private func row(_ text: String, _ market: Dataset) throws -> Int {
        guard let row = Timestamp(parsing: text).flatMap(market.row(at:)) else {
            throw ValidationError("\(text) is not a date of the data")
        }
        return row
    }
}
