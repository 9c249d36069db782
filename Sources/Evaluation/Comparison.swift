import Backtest
import Baselines
import Foundation
import Market
import Portfolio
import Risk
import Support

/// Allocators compared on the same periods, costs and funding (`regimen evaluate`).
package enum Comparison {
    /// What to compare and how.
    package struct Request: Sendable {
        package var allocators: [any Allocator]
        package var firstReturnRow: Int
        package var lastReturnRow: Int
        package var feeBasisPoints: Double
        package var rebalance: RebalanceSchedule
        /// The allocator significance is measured against.
        package var reference: String = "equal-weight"
        /// Walk-forward folds to report (test windows tile the range); empty for one range.
        package var folds: [WalkForward.Fold] = []
        /// Fee levels and schedules of the sensitivity table.
        package var sensitivityFees: [Double] = [0, 10, 25, 50]
        package var sensitivitySchedules: [RebalanceSchedule] = [.every(1), .every(7), .every(30)]
        /// Seed of the bootstrap.
        package var seed: UInt64 = 7
        /// The strategies tried on these dates, counted by the deflated Sharpe ratio when more
        /// than the allocators compared (nil: the allocators).
        package var trials: Int?
        /// The daily job's limits, applied to every decision of every allocator.
        package var limits: RiskLimits?
        /// Returns in the window the limits are measured on.
        package var riskWindow = 90
        /// Models evaluated on dates they were fitted on (`--allow-in-sample`), by name.
        package var inSample: Set<String> = []
        /// The folds of each recipe (walk-forward retrained configs), by allocator name.
        package var recipeFolds: [String: [RecipeFold]] = [:]
        /// Starting capitals in USD for market impact (contract section 11): the first is the
        /// one every result, the sensitivity table and the verdict are charged at, and each is
        /// a column of the capacity table; empty for no market impact.
        package var assetsUnderManagement: [Double] = []
        /// Allocators simulated at once (the results do not depend on it).
        package var jobs = 1

        package init(
            allocators: [any Allocator], firstReturnRow: Int, lastReturnRow: Int, feeBasisPoints: Double,
            rebalance: RebalanceSchedule
        ) {
            self.allocators = allocators
            self.firstReturnRow = firstReturnRow
            self.lastReturnRow = lastReturnRow
            self.feeBasisPoints = feeBasisPoints
            self.rebalance = rebalance
        }
    }

    /// One allocator's outcome.
    package struct Entry: Sendable {
        /// Who it is (baseline, or model name and version).
        package let identity: AllocatorIdentity
        package let result: BacktestResult
        package let significance: Significance
        /// Sharpe and final wealth by (fee, schedule); a periodic schedule at its configured offset.
        package let sensitivity: [SensitivityCell]
        /// For a model or a recipe: does it earn its place (contract section 10).
        package var verdict: Verdict?
        /// The offsets of a periodic schedule the result is the mean over (1: one run).
        package var scheduleOffsets = 1
        /// Sharpe, CAGR and costs at each of the request's capitals, in its order (empty
        /// without them).
        package var capacity: [CapacityCell] = []

        /// The CLI name (`hrp`, `NAME:VERSION`).
        package var name: String { identity.description }
    }

    /// Significance against the reference.
    package struct Significance: Sendable, Encodable {
        package let sharpeDiff: Double
        package let ciLow: Double
        package let ciHigh: Double
        package let pValue: Double
        @NullWhenAbsent package var psr: Double?
        @NullWhenAbsent package var dsr: Double?

        enum CodingKeys: String, CodingKey {
            case psr, dsr
            case sharpeDiff = "sharpe_diff", ciLow = "ci_low", ciHigh = "ci_high", pValue = "p_value"
        }

    }

    /// One cell of the sensitivity table.
    package struct SensitivityCell: Sendable, Encodable {
        package let feeBps: Double
        package let rebalance: String
        @NullWhenAbsent package var sharpe: Double?
        package let finalWealth: Double

        enum CodingKeys: String, CodingKey {
            case rebalance, sharpe
            case feeBps = "fee_bps", finalWealth = "final_wealth"
        }

    }

    /// One cell of the capacity table: the allocator run with the same decisions and settings
    /// at another starting capital (Appendix A's metrics; a Sharpe with a zero denominator is null).
    package struct CapacityCell: Sendable, Encodable {
        /// The starting capital, USD.
        package let aum: Double
        @NullWhenAbsent package var sharpe: Double?
        package let cagr: Double
        package let costsPaid: Double

        /// The cell of `result`, run at `aum`.
        init(aum: Double, result: BacktestResult) {
            self.aum = aum
            sharpe = result.metrics.sharpe
            cagr = result.metrics.cagr
            costsPaid = result.costsPaid
        }

        enum CodingKeys: String, CodingKey {
            case aum, sharpe, cagr
            case costsPaid = "costs_paid"
        }
    }

    /// Why an evaluation cannot run: the request does not fit the data (a usage problem, 64).
    package struct Failure: ReportableError {
        package let description: String
        package var exitStatus: Int32 { ExitStatus.usage }
    }

    /// Runs every allocator over the same return rows with the same costs, then the
    /// significance against the reference and the sensitivity table.
    package static func run(_ market: Dataset, _ request: Request) throws -> (entries: [Entry], folds: [WalkForward.Fold]) {
        let (entries, folds, _) = try runWithOverfitting(market, request)
        return (entries, folds)
    }

    /// `run`, plus the probability of backtest overfitting across the allocators compared
    /// (CSCV with 16 blocks, 8 for short ranges; nil below 2 allocators or 16 periods).
    package static func runWithOverfitting(_ market: Dataset, _ request: Request) throws -> (
        entries: [Entry], folds: [WalkForward.Fold], pbo: Double?
    ) {
        let settings = baseSettings(request)
        for allocator in request.allocators where allocator.firstDecisionRow(in: market) > request.firstReturnRow - 1 {
            throw Failure(
                description:
                    "\(allocator.name) needs \(allocator.firstDecisionRow(in: market)) returns before it decides: start --from at \(market.dates[allocator.firstDecisionRow(in: market) + 1]) or later"
            )
        }
        let allocators = request.allocators.map { ReusedSessions($0) as any Allocator }
        // Each allocator's simulations read only it and the market, so they run side by side
        // (`request.jobs` at once), kept in allocator order; the first failure in that order
        // is the one thrown, as one after another.
        let results = try Parallel.map(allocators.count, width: request.jobs) { index in
            Result {
                try ScheduleOffsets.simulate(
                    request.allocators[index], reusing: allocators[index], on: market, settings: settings)
            }
        }.map { try $0.get() }
        guard let reference = results.first(where: { $0.strategy == request.reference }) else {
            throw Failure(description: "the reference \(request.reference) is not among the allocators")
        }
        let sensitivity = try Parallel.map(allocators.count, width: request.jobs) { index in
            Result { try sensitivityCells(allocators[index], market: market, settings: settings, request: request) }
        }.map { try $0.get() }
        let referenceReturns = reference.periods.map(\.netReturn)
        let trialSharpes = results.compactMap { SharpeStatistics.sharpe($0.periods.map(\.netReturn)) }
        var entries: [Entry] = []
        for (index, (original, allocator)) in zip(request.allocators, allocators).enumerated() {
            let result = results[index]
            let returns = result.periods.map(\.netReturn)
            let test = SharpeDifferenceTest(returns, referenceReturns, periodsPerYear: market.periodsPerYear, seed: request.seed)
            let significance = Significance(
                sharpeDiff: test.difference, ciLow: test.lower, ciHigh: test.upper, pValue: test.pValue,
                psr: SharpeStatistics.probabilisticSharpe(returns),
                dsr: SharpeStatistics.deflatedSharpe(returns, trialSharpes: trialSharpes, trials: request.trials))
            var entry = Entry(
                identity: allocator.identity, result: result, significance: significance, sensitivity: sensitivity[index])
            entry.scheduleOffsets = ScheduleOffsets.count(original)
            entries.append(entry)
        }
        try judge(&entries, allocators: allocators, market: market, settings: settings, request: request)
        try measureCapacity(&entries, allocators: allocators, market: market, settings: settings, request: request)
        let folds = request.folds
        let periods = results[0].periods.count
        var pbo: Double?
        if results.count >= 2 && periods >= 16 {
            let matrix = (0..<periods).map { t in results.map { $0.periods[t].netReturn } }
            pbo = BacktestOverfitting.probability(matrix, blocks: periods >= 160 ? 16 : 8).pbo
        }
        return (entries, folds, pbo)
    }

    /// The settings every allocator is first simulated with: the request's range, fee,
    /// schedule, limits and first capital.
    static func baseSettings(_ request: Request) -> BacktestSettings {
        var settings = BacktestSettings()
        settings.firstReturnRow = request.firstReturnRow
        settings.lastReturnRow = request.lastReturnRow
        settings.feeBasisPoints = request.feeBasisPoints
        settings.rebalance = request.rebalance
        settings.limits = request.limits
        settings.riskWindow = request.riskWindow
        settings.assetsUnderManagement = request.assetsUnderManagement.first
        return settings
    }

    /// The sensitivity table of one allocator: its Sharpe and final wealth at each of the
    /// request's fees and schedules, everything else as `settings`.
    static func sensitivityCells(_ allocator: any Allocator, market: Dataset, settings: BacktestSettings, request: Request) throws
        -> [SensitivityCell]
    {
        var cells: [SensitivityCell] = []
        for fee in request.sensitivityFees {
            for schedule in request.sensitivitySchedules {
                var variant = settings
                variant.feeBasisPoints = fee
                variant.rebalance = schedule
                let metrics = try Simulator.run(allocator, on: market, settings: variant).metrics
                cells.append(
                    SensitivityCell(
                        feeBps: fee, rebalance: schedule.description, sharpe: metrics.sharpe, finalWealth: metrics.finalWealth))
            }
        }
        return cells
    }

    /// Gives every model and recipe its verdict against the best baseline (none without a
    /// baseline): both re-simulated at twice the fee for `fees_doubled`.
    static func judge(
        _ entries: inout [Entry], allocators: [any Allocator], market: Dataset, settings: BacktestSettings, request: Request
    ) throws {
        let results = entries.map(\.result)
        guard let best = Verdict.benchmarkIndex(results, isBaseline: { entries[$0].identity.kind == .baseline }) else { return }
        var doubledSettings = settings
        doubledSettings.feeBasisPoints = 2 * settings.feeBasisPoints
        var benchmarkDoubled: BacktestResult?
        for index in entries.indices where entries[index].identity.kind != .baseline {
            let doubled = try ScheduleOffsets.simulate(
                request.allocators[index], reusing: allocators[index], on: market, settings: doubledSettings)
            if benchmarkDoubled == nil {
                benchmarkDoubled = try Simulator.run(allocators[best], on: market, settings: doubledSettings)
            }
            let foldDates = request.recipeFolds[entries[index].name]?.compactMap { fold -> (Timestamp, Timestamp)? in
                guard let first = Timestamp(parsing: fold.test[0]), let last = Timestamp(parsing: fold.test[1]) else {
                    return nil
                }
                return (first, last)
            }
            entries[index].verdict = Verdict(
                candidate: entries[index].result, benchmark: results[best], benchmarkName: entries[best].name,
                doubled: (doubled, benchmarkDoubled!), foldDates: foldDates, seed: request.seed)
        }
    }

    /// Fills each entry's capacity table: the allocator rerun at each of the request's
    /// capitals with everything else as `settings` (the same wrapped allocator, so a recipe's
    /// fold models and a policy's sessions are reused, never retrained); the capital of
    /// `settings` reuses the entry's own result.
    static func measureCapacity(
        _ entries: inout [Entry], allocators: [any Allocator], market: Dataset, settings: BacktestSettings, request: Request
    ) throws {
        for index in entries.indices {
            entries[index].capacity = try request.assetsUnderManagement.map { aum in
                guard aum != settings.assetsUnderManagement else { return CapacityCell(aum: aum, result: entries[index].result) }
                var variant = settings
                variant.assetsUnderManagement = aum
                let result = try ScheduleOffsets.simulate(
                    request.allocators[index], reusing: allocators[index], on: market, settings: variant)
                return CapacityCell(aum: aum, result: result)
            }
        }
    }

    /// One fold of a recipe: the dates its model trained, validated and decided over (first
    /// and last), and the version it was published as.
    package struct RecipeFold: Sendable, Encodable {
        package let train: [String]
        package let validate: [String]
        package let test: [String]
        package let version: Int

        package init(train: [String], validate: [String], test: [String], version: Int) {
            self.train = train
            self.validate = validate
            self.test = test
            self.version = version
        }
    }
}
