import ArgumentParser
import Backtest
import Baselines
import Foundation
import Market

/// `regimen-bench backtest`: one simulation of a baseline on a synthetic market (default 20
/// assets x 3,000 days, daily rebalancing of a cheap allocator).
struct BacktestWorkload: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest", abstract: "Seconds per backtest of a baseline on a synthetic market.")

    @Option(help: "Assets of the synthetic market.") var assets: Int = 20
    @Option(help: "Daily periods of the synthetic market.") var periods: Int = 3000
    @Option(help: "The baseline to simulate (NAME or NAME:ESTIMATOR).") var strategy: String = "equal-weight"
    @Option(help: "every:N or drift:X.") var rebalance: String = "every:1"
    @OptionGroup var common: CommonOptions

    func validate() throws {
        do { _ = try BaselineSpec(parsing: strategy) } catch { throw ValidationError("--strategy: \(error)") }
        guard RebalanceSchedule(parsing: rebalance) != nil else {
            throw ValidationError("--rebalance must be every:N or drift:X")
        }
        guard assets >= 2, periods >= 200 else { throw ValidationError("--assets must be at least 2 and --periods at least 200") }
    }

    func run() throws {
        common.apply()
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "regimen-bench-backtest-\(ProcessInfo.processInfo.processIdentifier)")
        try SyntheticMarket(assets: assets, periods: periods, seed: 1).files.write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let market = try DatasetReader.load(directory: url.path)
        var settings = BacktestSettings()
        settings.rebalance = RebalanceSchedule(parsing: rebalance)!
        settings.feeBasisPoints = 10
        let baseline = Baseline(try BaselineSpec(parsing: strategy))
        let result = try Simulator.run(baseline, on: market, settings: settings)
        let measurement = Measurement.time(repeats: common.repeats, steps: 1) {
            _ = try? Simulator.run(baseline, on: market, settings: settings)
        }
        var line = measurement.fields(flopsPerStep: nil)
        line["workload"] = "backtest"
        line["params"] =
            [
                "assets": assets, "periods": periods, "strategy": strategy, "rebalance": rebalance,
                "return_periods": result.periods.count,
            ] as [String: Any]
        line["threads"] = common.threads
        printJSONLine(line)
    }
}
