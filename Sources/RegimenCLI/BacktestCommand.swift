import ArgumentParser
import CommandSupport
import Backtest
import Baselines
import Evaluation
import Foundation
import Market
import Risk
import Support

/// `regimen backtest --data DIR --strategy NAME [--from D] [--to D] [--rebalance every:N]
/// [--fee-bps X] [--aum USD] --out FILE`.
struct BacktestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest", abstract: "Simulate a baseline with fees and funding: a backtest file.",
        discussion: """
            The decision at the close of a row sees only data up to that row and earns the next period's returns. \
            --from/--to are the first and last return dates; the default start is the first row the strategy can \
            decide before (row N+1 for an N-period window). Models from the registry meet the same simulator.
            """)

    @Option(help: "The dataset directory.") var data: String
    @Option(
        help:
            "A baseline (\(BaselineName.allCases.map(\.rawValue).joined(separator: ", ")); the covariance ones also as NAME:ewma or NAME:ledoit-wolf) or a model NAME:VERSION or NAME@ALIAS."
    )
    var strategy: String
    @Option(help: "The model registry (for NAME:VERSION and NAME@ALIAS).") var models: String = "models"
    @Option(help: "First return date (YYYY-MM-DD).") var from: String?
    @Option(help: "Last return date (YYYY-MM-DD).") var to: String?
    @Option(help: "every:N (periods) or drift:X (sum of absolute weight drift).") var rebalance: String = "every:1"
    @Option(name: .customLong("fee-bps"), help: "Fee in basis points of traded weight (default: dataset.yaml's fee_bps, else 0).")
    var feeBps: Double?
    @Option(
        help:
            "Starting capital in USD (0 to 1e15): each trade also pays square-root market impact on ohlcv.csv's volume (contract section 11)."
    )
    var aum: String?
    @Option(help: "Returns in the estimation window of window baselines.") var window: Int = 90
    @Option(help: "The daily job's limits file: every decision goes through its limits (counts in limits_binding).")
    var limits: String?
    @Option(name: .customLong("risk-window"), help: "Returns in the window the limits are measured on.") var riskWindow: Int = 90
    @Flag(
        name: .customLong("allow-in-sample"),
        help: "Backtest a model on dates it was trained or validated on (the file is marked in_sample).")
    var allowInSample = false
    @Option(help: "The backtest file to write.") var out: String?
    @Flag(help: "Write the backtest file to standard output instead of --out.") var json = false

    func validate() throws {
        do { _ = try BacktestJob.Strategy(parsing: strategy) } catch { throw ValidationError(error.description) }
        guard RebalanceSchedule(parsing: rebalance) != nil else {
            throw ValidationError("--rebalance must be every:N (N >= 1) or drift:X (X > 0); found '\(rebalance)'")
        }
        if let feeBps { try OptionRange.check(feeBps, in: OptionRange.feeBasisPoints, option: "--fee-bps") }
        if let aum { _ = try AssetsUnderManagementOption.parse(aum, list: false) }
        try OptionRange.check(window, in: OptionRange.window, option: "--window")
        try OptionRange.check(riskWindow, in: OptionRange.window, option: "--risk-window")
        guard (out != nil) != json else { throw ValidationError("give exactly one of --out FILE and --json") }
        for (option, text) in [("--from", from), ("--to", to)] {
            if let text, Timestamp(parsing: text) == nil {
                throw ValidationError("\(option) must be a date YYYY-MM-DD; found '\(text)'")
            }
        }
        if let first = from.flatMap(Timestamp.init(parsing:)), let last = to.flatMap(Timestamp.init(parsing:)), first > last {
            throw ValidationError("--from \(from!) is after --to \(to!)")
        }
    }

    func run() throws {
        try withExitStatus {
            var plan = BacktestJob.Plan(data: data, strategy: strategy)
            (plan.models, plan.window, plan.limits, plan.riskWindow) = (models, window, limits, riskWindow)
            plan.from = from.flatMap(Timestamp.init(parsing:))
            plan.to = to.flatMap(Timestamp.init(parsing:))
            plan.rebalance = RebalanceSchedule(parsing: rebalance)!
            plan.feeBasisPoints = feeBps
            plan.assetsUnderManagement = try aum.map { try AssetsUnderManagementOption.parse($0, list: false)[0] }
            plan.allowInSample = allowInSample
            let job = try BacktestJob.run(plan, note: printNote)
            for warning in job.result.warnings { printNote("warning: \(warning)") }
            let bytes = try CanonicalJSON.encode(job.file)
            if json {
                FileHandle.standardOutput.write(bytes)
            } else if let out {
                try AtomicFile.write(bytes, to: URL(fileURLWithPath: out))
                let (periods, metrics) = (job.result.periods, job.result.metrics)
                printNote(
                    "wrote \(out): \(strategy) \(periods.first!.date) .. \(periods.last!.date), final wealth \(metrics.finalWealth), Sharpe \(metrics.sharpe.map { "\($0)" } ?? "null")"
                )
            }
        }
    }
}
