import Backtest
import Baselines
import Evaluation
import Foundation
import Market
import Risk
import Support

/// `summary.json` (contract section 9): the grid points ranked by their stitched
/// out-of-sample Sharpe ratio, each stitched over its folds and averaged over its seeds, with
/// the deflated Sharpe ratio across the grid points and the probability of backtest
/// overfitting among them.
package struct SweepSummary: Encodable, Sendable {
    package struct Point: Encodable, Sendable {
        package let params: [String: JSONValue]
        /// Runs finished and failed.
        package let runs: Int
        package let failed: Int
        /// The stitched out-of-sample metrics of the seed-mean return series (nil with a
        /// failed or missing run).
        package let sharpe: Double?
        package let finalWealth: Double?
        package let maxDrawdown: Double?
        /// Each seed's stitched Sharpe ratio, in the spec's seed order.
        package let sharpeBySeed: [Double?]
        package let deflatedSharpe: Double?

        enum CodingKeys: String, CodingKey {
            case params, runs, failed, sharpe
            case finalWealth = "final_wealth"
            case maxDrawdown = "max_drawdown"
            case sharpeBySeed = "sharpe_by_seed"
            case deflatedSharpe = "dsr"
        }
    }

    /// A baseline of the spec on the same stitched test rows, for reference.
    package struct BaselineLine: Encodable, Sendable {
        package let name: String
        package let sharpe: Double?
        package let finalWealth: Double?
        package let maxDrawdown: Double?
        /// Why it could not run on a fold, if it could not.
        package let error: String?

        enum CodingKeys: String, CodingKey {
            case name, sharpe, error
            case finalWealth = "final_wealth"
            case maxDrawdown = "max_drawdown"
        }
    }

    package let schema = "regimen.sweep-summary/v1"
    package let runs: Int
    package let failed: Int
    package let points: [Point]
    /// Across the grid points with complete series (nil below 2 points or 16 periods).
    package let pbo: Double?
    /// The spec's baselines, backtested on every fold's test rows and stitched.
    package let baselines: [BaselineLine]

    /// The summary of `results` for `plan`.
    package init(plan: SweepPlan, results: [SweepResult]) {
        let byID = Dictionary(results.map { ($0.runID, $0) }, uniquingKeysWith: { a, _ in a })
        let periodsPerYear = plan.dataset.periodsPerYear
        var series: [(params: [String: JSONValue], returns: [Double]?, bySeed: [Double?], runs: Int, failed: Int)] = []
        for point in plan.spec.points {
            let params = Dictionary(uniqueKeysWithValues: point.map { ($0.key, $0.value) })
            let runs = plan.runs.filter { $0.params == params }
            let found = runs.compactMap { byID[$0.id] }
            let failed = found.filter { $0.error != nil }.count
            var perSeed: [[Double]?] = []
            for seed in plan.spec.seeds {
                let folds = runs.filter { $0.seed == seed }.sorted { $0.fold < $1.fold }.map { byID[$0.id]?.returns }
                perSeed.append(folds.contains { $0 == nil } ? nil : folds.flatMap { $0! })
            }
            var mean: [Double]?
            if let first = perSeed.first ?? nil, perSeed.allSatisfy({ $0?.count == first.count }) {
                mean = first.indices.map { t in perSeed.reduce(0.0) { $0 + $1![t] } / Double(perSeed.count) }
            }
            let bySeed = perSeed.map { $0.flatMap { PerformanceMetrics(returns: $0, periodsPerYear: periodsPerYear).sharpe } }
            series.append((params, mean, bySeed, found.count, failed))
        }
        let complete = series.compactMap(\.returns)
        let trialSharpes = complete.compactMap(SharpeStatistics.sharpe)
        points = series.map { entry in
            let metrics = entry.returns.map { PerformanceMetrics(returns: $0, periodsPerYear: periodsPerYear) }
            return Point(
                params: entry.params, runs: entry.runs, failed: entry.failed, sharpe: metrics?.sharpe,
                finalWealth: metrics?.finalWealth, maxDrawdown: metrics?.maxDrawdown, sharpeBySeed: entry.bySeed,
                deflatedSharpe: entry.returns.flatMap { SharpeStatistics.deflatedSharpe($0, trialSharpes: trialSharpes) })
        }.sorted { ($0.sharpe ?? -.infinity) > ($1.sharpe ?? -.infinity) }
        runs = results.count
        failed = results.filter { $0.error != nil }.count
        baselines = Self.baselines(plan)
        let length = complete.first?.count ?? 0
        pbo =
            complete.count >= 2 && length >= 16 && complete.allSatisfy({ $0.count == length })
            ? BacktestOverfitting.probability((0..<length).map { t in complete.map { $0[t] } }, blocks: length >= 160 ? 16 : 8)
                .pbo
            : nil
    }

    /// Each baseline of the spec on each fold's test rows (fee as the runs), stitched.
    static func baselines(_ plan: SweepPlan) -> [BaselineLine] {
        let folds = Dictionary(plan.runs.map { ($0.fold, $0.rows) }, uniquingKeysWith: { a, _ in a }).sorted { $0.key < $1.key }
        return plan.spec.baselines.map { spec in
            let name = spec.name
            var returns: [Double] = []
            do {
                for (_, rows) in folds {
                    var settings = BacktestSettings()
                    settings.firstReturnRow = rows.test.lowerBound
                    settings.lastReturnRow = rows.test.upperBound
                    settings.feeBasisPoints = plan.spec.feeBps ?? plan.dataset.config.feeBasisPoints ?? 0
                    returns += try Simulator.run(Baseline(spec), on: plan.dataset, settings: settings).periods.map(\.netReturn)
                }
            } catch {
                return BaselineLine(name: name, sharpe: nil, finalWealth: nil, maxDrawdown: nil, error: "\(error)")
            }
            let metrics = PerformanceMetrics(returns: returns, periodsPerYear: plan.dataset.periodsPerYear)
            return BaselineLine(
                name: name, sharpe: metrics.sharpe, finalWealth: metrics.finalWealth, maxDrawdown: metrics.maxDrawdown, error: nil
            )
        }
    }

    /// A self-contained HTML page: the ranked grid points.
    package var html: String {
        func cell(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "" }
        let rows = points.enumerated().map { rank, point in
            let params = point.params.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
            return
                "<tr><td>\(rank + 1)</td><td>\(escape(params))</td><td>\(cell(point.sharpe))</td><td>\(cell(point.finalWealth))</td>"
                + "<td>\(cell(point.maxDrawdown))</td><td>\(cell(point.deflatedSharpe))</td><td>\(point.runs)</td><td>\(point.failed)</td></tr>"
        }.joined(separator: "\n")
        return """
            <!doctype html><html><head><meta charset="utf-8"><title>Regimen sweep</title>
            <style>body{font-family:sans-serif}td,th{padding:2px 8px;text-align:right}td:nth-child(2){text-align:left}</style>
            </head><body><h1>Sweep: grid points ranked by stitched out-of-sample Sharpe</h1>
            <p>\(runs) runs, \(failed) failed; probability of backtest overfitting across the grid points: \(cell(pbo))</p>
            <table><tr><th>rank</th><th>params</th><th>Sharpe</th><th>final wealth</th><th>max drawdown</th><th>DSR</th><th>runs</th><th>failed</th></tr>
            \(rows)
            </table></body></html>

            """
    }

    private func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(
            of: ">", with: "&gt;")
    }
}
