import Backtest
import Foundation
import LinearAlgebra
import Market
import Risk
import Support
import Training

/// One finished run as a line of `runs.jsonl` (contract section 9): its id, grid point, seed,
/// fold, test dates, metrics and net returns; or its error.
package struct SweepResult: Codable, Sendable, Equatable {
    package var runID: String
    package var params: [String: JSONValue]
    package var seed: UInt64
    package var fold: Int
    package var test: [String]
    package var metrics: [String: Double]?
    package var returns: [Double]?
    /// The same decisions' net returns at twice the fee (the verdict's `fees_doubled`).
    package var returnsFeesDoubled: [Double]?
    package var error: String?
    /// The starting capital in USD the backtest paid market impact at (the spec's `aum`).
    package var aum: Double?

    package init(runID: String, params: [String: JSONValue], seed: UInt64, fold: Int, test: [String]) {
        self.runID = runID
        self.params = params
        self.seed = seed
        self.fold = fold
        self.test = test
    }

    enum CodingKeys: String, CodingKey {
        case params, seed, fold, test, metrics, returns, error, aum
        case returnsFeesDoubled = "returns_fees_doubled"
        case runID = "run_id"
    }

    /// The JSON line (canonical: sorted keys, shortest round-trip numbers).
    package var line: String { (try? CanonicalJSON.encodeLine(self)) ?? "" }
}

/// Runs one sweep run in this process: the fold's training window split into training and
/// validation as `evaluate --configs` splits it, a model trained with one BLAS thread (so
/// its bytes do not depend on the executor), then backtested on the fold's test rows.
package enum SweepRunner {
    package static func run(_ run: SweepRun, plan: SweepPlan) -> SweepResult {
        let dates = plan.dataset.dates
        var result = SweepResult(
            runID: run.id, params: run.params, seed: run.seed, fold: run.fold,
            test: [dates[run.rows.test.lowerBound].description, dates[run.rows.test.upperBound].description])
        do {
            guard let (train, validate) = RecipeTrainer.split(run.rows.train, config: run.config) else {
                throw SweepFailure(description: "the fold's training window is too short for a window of \(run.config.window)")
            }
            var config = run.config
            config.train = "\(dates[train.lowerBound].day)..\(dates[train.upperBound].day)"
            config.validate = "\(dates[validate.lowerBound].day)..\(dates[validate.upperBound].day)"
            var settings = BacktestSettings()
            settings.firstReturnRow = run.rows.test.lowerBound
            settings.lastReturnRow = run.rows.test.upperBound
            settings.feeBasisPoints = plan.spec.feeBps ?? plan.dataset.config.feeBasisPoints ?? 0
            settings.assetsUnderManagement = plan.spec.aum
            result.aum = plan.spec.aum
            var doubledSettings = settings
            doubledSettings.feeBasisPoints *= 2
            let (backtest, doubled) = try BLASThreads.singleThreaded { () throws -> (BacktestResult, BacktestResult) in
                let outcome = try PolicyTrainer.train(
                    plan.dataset.truncated(throughRow: run.rows.train.upperBound), config: config, name: "sweep")
                return (
                    try Simulator.run(outcome.allocator, on: plan.dataset, settings: settings),
                    try Simulator.run(outcome.allocator, on: plan.dataset, settings: doubledSettings)
                )
            }
            let m = backtest.metrics
            var metrics = [
                "final_wealth": m.finalWealth, "cagr": m.cagr, "max_drawdown": m.maxDrawdown, "vol_annual": m.volAnnual,
            ]
            metrics["sharpe"] = m.sharpe
            metrics["turnover_annual"] = backtest.turnoverAnnual
            metrics["costs_paid"] = backtest.costsPaid
            result.metrics = metrics
            result.returns = backtest.periods.map(\.netReturn)
            result.returnsFeesDoubled = doubled.periods.map(\.netReturn)
        } catch {
            result.error = "\(error)"
        }
        return result
    }
}
