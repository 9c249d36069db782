import Backtest
import Foundation
import Market
import Portfolio
import Risk
import Support

/// `report.json` (`regimen.report/v1`, contract section 3): every number the HTML report
/// shows — metrics, significance, sensitivity, folds, and the series behind each chart.
package struct ReportFile: Encodable, Sendable {
    struct Allocator: Encodable, Sendable {
        let name: String
        let kind: String
        /// For models: the version (the name is then the model's name).
        let version: String?
        let metrics: BacktestFile
        let significance: Comparison.Significance
        let sensitivity: [Comparison.SensitivityCell]
        /// True for a model evaluated on dates it was fitted on (`--allow-in-sample`).
        let inSample: Bool?
        /// For a recipe: each fold's dates, version and out-of-sample metrics.
        let folds: [FoldResult]?
        /// For a model or a recipe: does it earn its place (contract section 10).
        let verdict: Verdict?
        /// For a policy that trades every k days: k, the offsets its metrics are the mean over
        /// (absent for a schedule that trades every period).
        let scheduleOffsets: Int?

        enum CodingKeys: String, CodingKey {
            case name, kind, version, metrics, significance, sensitivity, folds, verdict
            case inSample = "in_sample"
            case scheduleOffsets = "schedule_offsets"
        }

        /// The CLI name (`hrp`, `NAME:VERSION`), as the series are keyed.
        var displayName: String { version.map { "\(name):\($0)" } ?? name }
    }

    /// A recipe's fold with the metrics of its own test periods of the stitched path.
    struct FoldResult: Encodable, Sendable {
        let fold: Comparison.RecipeFold
        let finalWealth: Double
        @NullWhenAbsent var sharpe: Double?
        let maxDrawdown: Double

        enum CodingKeys: String, CodingKey {
            case train, validate, test, version, sharpe
            case finalWealth = "final_wealth"
            case maxDrawdown = "max_drawdown"
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(fold.train, forKey: .train)
            try c.encode(fold.validate, forKey: .validate)
            try c.encode(fold.test, forKey: .test)
            try c.encode(fold.version, forKey: .version)
            try c.encode(finalWealth, forKey: .finalWealth)
            try c.encode(_sharpe, forKey: .sharpe)
            try c.encode(maxDrawdown, forKey: .maxDrawdown)
        }
    }

    struct Fold: Encodable, Sendable {
        let trainFrom: String, trainTo: String, testFrom: String, testTo: String

        enum CodingKeys: String, CodingKey {
            case trainFrom = "train_from"
            case trainTo = "train_to"
            case testFrom = "test_from"
            case testTo = "test_to"
        }
    }

    /// One row of the capacity table: an allocator (as the series are keyed) at one capital.
    struct CapacityRow: Encodable, Sendable {
        let allocator: String
        let cell: Comparison.CapacityCell

        enum CodingKeys: String, CodingKey {
            case allocator, aum, sharpe, cagr
            case costsPaid = "costs_paid"
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(allocator, forKey: .allocator)
            try c.encode(cell.aum, forKey: .aum)
            try c.encode(cell.sharpe, forKey: .sharpe)
            try c.encode(cell.cagr, forKey: .cagr)
            try c.encode(cell.costsPaid, forKey: .costsPaid)
        }
    }

    /// The chart series, by allocator name.
    struct Series: Encodable, Sendable {
        let dates: [String]
        let wealth: [String: [Double]]
        let drawdown: [String: [Double]]
        let rollingVolatility: [String: [Double?]]
        let weights: [String: [String: [Double]]]
        /// For allocators with a regime model: the regime label seen at each period's decision.
        let regimes: [String: [String?]]?

        enum CodingKeys: String, CodingKey {
            case dates, wealth, drawdown, weights, regimes
            case rollingVolatility = "rolling_vol_annual"
        }
    }

    let schema = "regimen.report/v1"
    let from: String
    let to: String
    let feeBps: Double
    let rebalance: String
    let reference: String
    let rollingWindow: Int
    let allocators: [Allocator]
    let folds: [Fold]
    let series: Series
    /// The probability of backtest overfitting across the allocators compared.
    let pbo: Double?
    /// The starting capital every result was charged market impact at (`--aum`'s first).
    let aum: Double?
    /// With `--aum`: every allocator (in the order of `allocators`) at every capital (in the
    /// order given).
    let capacity: [CapacityRow]?

    enum CodingKeys: String, CodingKey {
        case schema, from, to, rebalance, reference, allocators, folds, series, pbo, aum, capacity
        case feeBps = "fee_bps"
        case rollingWindow = "rolling_window"
    }

    /// The report of an evaluation.
    package init(
        _ entries: [Comparison.Entry], folds: [WalkForward.Fold], request: Comparison.Request, dates: [String],
        pbo: Double? = nil,
        rollingWindow: Int = 30
    ) {
        self.pbo = pbo
        let first = entries[0].result
        from = first.periods.first!.date.description
        to = first.periods.last!.date.description
        feeBps = request.feeBasisPoints
        rebalance = request.rebalance.description
        reference = request.reference
        self.rollingWindow = rollingWindow
        aum = request.assetsUnderManagement.first
        capacity =
            request.assetsUnderManagement.isEmpty
            ? nil : entries.flatMap { entry in entry.capacity.map { CapacityRow(allocator: entry.name, cell: $0) } }
        allocators = entries.map { entry in
            Allocator(
                name: entry.identity.name,
                kind: entry.identity.kind.rawValue,
                version: entry.identity.version.map(String.init),
                metrics: BacktestFile(entry.result, rebalance: request.rebalance, feeBasisPoints: request.feeBasisPoints)
                    .withoutSeries(),
                significance: entry.significance, sensitivity: entry.sensitivity,
                inSample: request.inSample.contains(entry.name) ? true : nil,
                folds: request.recipeFolds[entry.name].map { folds in
                    folds.map { fold in
                        let returns = entry.result.periods.filter {
                            $0.date.description >= fold.test[0] && $0.date.description <= fold.test[1]
                        }.map(\.netReturn)
                        let metrics =
                            returns.count >= 2 ? PerformanceMetrics(returns: returns, periodsPerYear: first.periodsPerYear) : nil
                        return FoldResult(
                            fold: fold, finalWealth: metrics?.finalWealth ?? returns.reduce(1) { $0 * (1 + $1) },
                            sharpe: metrics?.sharpe, maxDrawdown: metrics?.maxDrawdown ?? 0)
                    }
                },
                verdict: entry.verdict, scheduleOffsets: entry.scheduleOffsets > 1 ? entry.scheduleOffsets : nil)
        }
        self.folds = folds.map { fold in
            Fold(
                trainFrom: dates[fold.train.lowerBound], trainTo: dates[fold.train.upperBound],
                testFrom: dates[fold.test.lowerBound], testTo: dates[fold.test.upperBound])
        }
        var wealth: [String: [Double]] = [:]
        var drawdown: [String: [Double]] = [:]
        var volatility: [String: [Double?]] = [:]
        var weights: [String: [String: [Double]]] = [:]
        var regimes: [String: [String?]] = [:]
        for entry in entries {
            let periods = entry.result.periods
            let path = periods.map(\.wealth)
            wealth[entry.name] = path
            drawdown[entry.name] = Drawdown.series(wealth: path)
            let returns = periods.map(\.netReturn)
            volatility[entry.name] = returns.indices.map { t in
                t + 1 < rollingWindow
                    ? nil
                    : Statistics.standardDeviation(Array(returns[(t + 1 - rollingWindow)...t]))
                        * entry.result.periodsPerYear.squareRoot()
            }
            var byAsset: [String: [Double]] = [:]
            for (asset, name) in entry.result.assets.enumerated() where periods.contains(where: { $0.weights[asset] != 0 }) {
                byAsset[name] = periods.map { $0.weights[asset] }
            }
            weights[entry.name] = byAsset
            if entry.result.regimes.contains(where: { $0 != nil }) {
                regimes[entry.name] = entry.result.regimes.map { $0?.description }
            }
        }
        series = Series(
            dates: first.periods.map { $0.date.description }, wealth: wealth, drawdown: drawdown, rollingVolatility: volatility,
            weights: weights, regimes: regimes.isEmpty ? nil : regimes)
    }
}
