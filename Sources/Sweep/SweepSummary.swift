import Backtest
import Baselines
import Evaluation
import Foundation
import Market
import Portfolio
import Risk
import Support

/// `summary.json` (contract section 9): the grid points ranked by the verdict of contract
/// section 10 against the spec's best baseline (those that earn their place first), then by
/// their stitched out-of-sample Sharpe ratio, each stitched over its folds and averaged over
/// its seeds, with the deflated Sharpe ratio across the grid points and the probability of
/// backtest overfitting among them.
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
        /// Against the spec's best baseline on the same stitched dates (nil without baselines,
        /// or without a complete series at both fees).
        package let verdict: Verdict?

        enum CodingKeys: String, CodingKey {
            case params, runs, failed, sharpe, verdict
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
    /// The starting capital in USD the runs and the baselines paid market impact at (the
    /// spec's `aum`; absent without it).
    package let aum: Double?

    /// The summary of `results` for `plan`.
    package init(plan: SweepPlan, results: [SweepResult]) {
        let byID = Dictionary(results.map { ($0.runID, $0) }, uniquingKeysWith: { a, _ in a })
        aum = plan.spec.aum
        let periodsPerYear = plan.dataset.periodsPerYear
        var series:
            [(params: [String: JSONValue], returns: [Double]?, doubled: [Double]?, bySeed: [Double?], runs: Int, failed: Int)] =
                []
        for point in plan.spec.points {
            let params = Dictionary(uniqueKeysWithValues: point.map { ($0.key, $0.value) })
            let runs = plan.runs.filter { $0.params == params }
            let found = runs.compactMap { byID[$0.id] }
            let failed = found.filter { $0.error != nil }.count
            let perSeed = plan.spec.seeds.map { seed in Self.stitched(runs, seed: seed, byID, \.returns) }
            let doubled = plan.spec.seeds.map { seed in Self.stitched(runs, seed: seed, byID, \.returnsFeesDoubled) }
            let bySeed = perSeed.map { $0.flatMap { PerformanceMetrics(returns: $0, periodsPerYear: periodsPerYear).sharpe } }
            series.append((params, Self.mean(perSeed), Self.mean(doubled), bySeed, found.count, failed))
        }
        let complete = series.compactMap(\.returns)
        let trialSharpes = complete.compactMap(SharpeStatistics.sharpe)
        let stitchedBaselines = Self.baselines(plan)
        let judge = Self.judge(plan, baselines: stitchedBaselines)
        points = series.map { entry in
            let metrics = entry.returns.map { PerformanceMetrics(returns: $0, periodsPerYear: periodsPerYear) }
            return Point(
                params: entry.params, runs: entry.runs, failed: entry.failed, sharpe: metrics?.sharpe,
                finalWealth: metrics?.finalWealth, maxDrawdown: metrics?.maxDrawdown, sharpeBySeed: entry.bySeed,
                deflatedSharpe: entry.returns.flatMap { SharpeStatistics.deflatedSharpe($0, trialSharpes: trialSharpes) },
                verdict: judge(entry.returns, entry.doubled))
        }.sorted(by: Self.ranksAbove)
        runs = results.count
        failed = results.filter { $0.error != nil }.count
        baselines = stitchedBaselines.map(\.line)
        let length = complete.first?.count ?? 0
        pbo =
            complete.count >= 2 && length >= 16 && complete.allSatisfy({ $0.count == length })
            ? BacktestOverfitting.probability((0..<length).map { t in complete.map { $0[t] } }, blocks: length >= 160 ? 16 : 8)
                .pbo
            : nil
    }

    /// A baseline of the spec stitched over the folds' test rows, at the runs' fee and at
    /// twice it (nil series when it could not run).
    struct StitchedBaseline {
        let line: BaselineLine
        let returns: [Double]?
        let doubled: [Double]?
    }

    /// Each baseline of the spec on each fold's test rows (fee as the runs), stitched.
    static func baselines(_ plan: SweepPlan) -> [StitchedBaseline] {
        let fee = plan.spec.feeBps ?? plan.dataset.config.feeBasisPoints ?? 0
        return plan.spec.baselines.map { spec in
            let name = spec.name
            let returns: [Double]
            let doubled: [Double]
            do {
                returns = try stitched(Baseline(spec), plan, feeBasisPoints: fee)
                doubled = try stitched(Baseline(spec), plan, feeBasisPoints: 2 * fee)
            } catch {
                let line = BaselineLine(name: name, sharpe: nil, finalWealth: nil, maxDrawdown: nil, error: "\(error)")
                return StitchedBaseline(line: line, returns: nil, doubled: nil)
            }
            let metrics = PerformanceMetrics(returns: returns, periodsPerYear: plan.dataset.periodsPerYear)
            let line = BaselineLine(
                name: name, sharpe: metrics.sharpe, finalWealth: metrics.finalWealth, maxDrawdown: metrics.maxDrawdown, error: nil
            )
            return StitchedBaseline(line: line, returns: returns, doubled: doubled)
        }
    }

    /// The test rows of the plan's folds, in fold order.
    static func foldRows(_ plan: SweepPlan) -> [ClosedRange<Int>] {
        Dictionary(plan.runs.map { ($0.fold, $0.rows.test) }, uniquingKeysWith: { a, _ in a }).sorted { $0.key < $1.key }.map(
            \.value)
    }

    /// `allocator` backtested on each fold's test rows at `feeBasisPoints` (and the spec's
    /// `aum`), stitched.
    static func stitched(_ allocator: any Allocator, _ plan: SweepPlan, feeBasisPoints: Double) throws -> [Double] {
        try foldRows(plan).flatMap { rows in
            var settings = BacktestSettings()
            settings.firstReturnRow = rows.lowerBound
            settings.lastReturnRow = rows.upperBound
            settings.feeBasisPoints = feeBasisPoints
            settings.assetsUnderManagement = plan.spec.aum
            return try Simulator.run(allocator, on: plan.dataset, settings: settings).periods.map(\.netReturn)
        }
    }

    /// One seed's series of `keyPath` stitched over its folds (nil when a fold is missing).
    static func stitched(
        _ runs: [SweepRun], seed: UInt64, _ byID: [String: SweepResult], _ keyPath: KeyPath<SweepResult, [Double]?>
    ) -> [Double]? {
        let folds = runs.filter { $0.seed == seed }.sorted { $0.fold < $1.fold }.map { byID[$0.id]?[keyPath: keyPath] }
        return folds.contains { $0 == nil } ? nil : folds.flatMap { $0! }
    }

    /// The mean over seeds, period by period (nil unless every seed's series is complete).
    static func mean(_ perSeed: [[Double]?]) -> [Double]? {
        guard let first = perSeed.first ?? nil, perSeed.allSatisfy({ $0?.count == first.count }) else { return nil }
        return first.indices.map { t in perSeed.reduce(0.0) { $0 + $1![t] } / Double(perSeed.count) }
    }

    /// The verdict of a point's stitched series (at the fee and at twice it) against the
    /// best baseline, its folds the plan's folds.
    static func judge(_ plan: SweepPlan, baselines: [StitchedBaseline]) -> ([Double]?, [Double]?) -> Verdict? {
        let year = plan.dataset.periodsPerYear
        let rows = foldRows(plan)
        let dates = rows.flatMap { Array(plan.dataset.dates[$0]) }
        let foldDates = rows.map { (plan.dataset.dates[$0.lowerBound], plan.dataset.dates[$0.upperBound]) }
        let usable = baselines.filter { $0.returns != nil && $0.doubled != nil && $0.line.name != "bcrp" }
        guard let best = usable.max(by: { ($0.line.sharpe ?? -.infinity) < ($1.line.sharpe ?? -.infinity) }) else {
            return { _, _ in nil }
        }
        let series = { (returns: [Double]) in Verdict.Series(dates: dates, returns: returns, periodsPerYear: year) }
        return { returns, doubled in
            guard let returns, let doubled, returns.count == dates.count, doubled.count == dates.count else { return nil }
            return Verdict(
                candidate: series(returns), benchmark: series(best.returns!), benchmarkName: best.line.name,
                doubled: (series(doubled), series(best.doubled!)), foldDates: foldDates, seed: 7)
        }
    }

    /// Earning its place first, then the higher Sharpe.
    static func ranksAbove(_ a: Point, _ b: Point) -> Bool {
        let (aEarns, bEarns) = (a.verdict?.earnsPlace ?? false, b.verdict?.earnsPlace ?? false)
        if aEarns != bEarns { return aEarns }
        return (a.sharpe ?? -.infinity) > (b.sharpe ?? -.infinity)
    }

    /// A self-contained HTML page: the ranked grid points, then the spec's baselines on the
    /// same stitched test rows.
    package var html: String {
        """
        <!doctype html><html><head><meta charset="utf-8"><title>Regimen sweep</title>
        <style>body{font-family:sans-serif}td,th{padding:2px 8px;text-align:right}td:nth-child(2){text-align:left}</style>
        </head><body><h1>Sweep: grid points ranked by the verdict, then by stitched out-of-sample Sharpe</h1>
        <p>\(runs) runs, \(failed) failed; probability of backtest overfitting across the grid points: \(Self.cell(pbo))\(impactNote)</p>
        <table><tr><th>rank</th><th>params</th><th>Sharpe</th><th>final wealth</th><th>max drawdown</th><th>DSR</th><th>earns its place</th><th>runs</th><th>failed</th></tr>
        \(pointRows)
        </table>
        \(baselineTable)</body></html>

        """
    }

    /// What the runs paid market impact at, for the page's first line (empty without `aum`).
    private var impactNote: String {
        aum.map { "; every backtest pays market impact at \(String(format: "%g", $0)) USD under management" } ?? ""
    }

    /// The grid points' table rows, in rank order; parameters as `key=value` with values as
    /// the spec wrote them (`learning_rate=0.003`).
    private var pointRows: String {
        points.enumerated().map { rank, point in
            let params = point.params.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.text)" }.joined(separator: ", ")
            return
                "<tr><td>\(rank + 1)</td><td>\(escape(params))</td><td>\(Self.cell(point.sharpe))</td><td>\(Self.cell(point.finalWealth))</td>"
                + "<td>\(Self.cell(point.maxDrawdown))</td><td>\(Self.cell(point.deflatedSharpe))</td><td>\(verdict(point.verdict))</td>"
                + "<td>\(point.runs)</td><td>\(point.failed)</td></tr>"
        }.joined(separator: "\n")
    }

    /// The spec's baselines with their stitched metrics (or why one could not run); empty
    /// without baselines in the spec.
    private var baselineTable: String {
        guard !baselines.isEmpty else { return "" }
        let rows = baselines.map { line in
            "<tr><td>\(escape(line.name))</td><td>\(Self.cell(line.sharpe))</td><td>\(Self.cell(line.finalWealth))</td>"
                + "<td>\(Self.cell(line.maxDrawdown))</td><td>\(escape(line.error ?? ""))</td></tr>"
        }.joined(separator: "\n")
        return """
            <h2>Baselines on the same stitched test rows and fee</h2>
            <table><tr><th>baseline</th><th>Sharpe</th><th>final wealth</th><th>max drawdown</th><th>error</th></tr>
            \(rows)
            </table>

            """
    }

    /// A figure in a table cell: three decimals, empty for none.
    private static func cell(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "" }

    /// A verdict in a table cell: whether it earns its place, against which baseline.
    private func verdict(_ verdict: Verdict?) -> String {
        guard let verdict else { return "" }
        return escape(
            "\(verdict.earnsPlace ? "yes" : "no") (vs \(verdict.benchmark), p_better \(Verdict.format(verdict.pBetter)))")
    }

    private func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(
            of: ">", with: "&gt;")
    }
}
