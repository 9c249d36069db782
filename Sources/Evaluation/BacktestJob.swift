import Backtest
import Baselines
import Foundation
import Market
import ModelStore
import Policy
import Portfolio
import Risk
import Support

/// What `regimen backtest` runs: one baseline or model version through the simulator with
/// the plan's schedule, fee, market impact and limits, the in-sample guard for a model, and for data that
/// hold derivatives the same strategy held spot beside it.
package enum BacktestJob {
    /// The inputs of a backtest.
    package struct Plan: Sendable {
        package var data: String
        /// A baseline's name (`NAME` or `NAME:ESTIMATOR`), or a model `NAME:VERSION` / `NAME@ALIAS`.
        package var strategy: String
        package var models = "models"
        package var from: Timestamp?
        package var to: Timestamp?
        package var rebalance = RebalanceSchedule.every(1)
        /// Nil: the dataset's `fee_bps`, else 0.
        package var feeBasisPoints: Double?
        /// The starting capital in USD for market impact (contract section 11); nil for none.
        package var assetsUnderManagement: Double?
        /// Returns in a window baseline's estimation window.
        package var window = 90
        package var limits: String?
        package var riskWindow = 90
        package var allowInSample = false

        package init(data: String, strategy: String) {
            self.data = data
            self.strategy = strategy
        }
    }

    /// A backtest that does not fit its data (65) or a model's own dates (64).
    package struct Problem: ReportableError {
        package let description: String
        package let exitStatus: Int32
    }

    /// The backtest, and the file that records it.
    package struct Outcome {
        package let result: BacktestResult
        package let file: BacktestFile
    }

    /// Runs the backtest; `note` receives what a person should read (the spot comparison).
    package static func run(_ plan: Plan, note: (String) -> Void = { _ in }) throws -> Outcome {
        let market = try DatasetReader.load(directory: plan.data)
        var settings = BacktestSettings()
        settings.rebalance = plan.rebalance
        settings.feeBasisPoints = plan.feeBasisPoints ?? market.config.feeBasisPoints ?? 0
        settings.assetsUnderManagement = plan.assetsUnderManagement
        settings.firstReturnRow = try plan.from.map { try row(of: $0, in: market, plan: plan, option: "--from") }
        settings.lastReturnRow = try plan.to.map { try row(of: $0, in: market, plan: plan, option: "--to") }
        let (allocator, manifest) = try strategy(plan)
        if let limits = plan.limits {
            settings.limits = try RiskLimits.read(limits)
            try settings.limits!.checkNames(assets: market.assets, regimeLabels: (allocator as? PolicyAllocator)?.regimeLabels)
            settings.riskWindow = plan.riskWindow
        }
        let result = try Simulator.run(allocator, on: market, settings: settings)
        var file = BacktestFile(result, rebalance: settings.rebalance, feeBasisPoints: settings.feeBasisPoints)
        file.assetsUnderManagement = plan.assetsUnderManagement
        if market.holdsDerivatives { file.spotOnly = spotOnly(allocator, market, settings, result, note: note) }
        if let manifest, let overlap = manifest.inSampleOverlap(result.periods.first!.date, result.periods.last!.date) {
            guard plan.allowInSample else {
                throw Problem(description: manifest.inSampleMessage(overlap), exitStatus: ExitStatus.usage)
            }
            file.inSample = true
        }
        return Outcome(result: result, file: file)
    }

    /// What `--strategy` names: a baseline (`BaselineSpec`) or a model version.
    package enum Strategy: Sendable, Equatable {
        case baseline(BaselineSpec)
        case model(ModelRegistry.Reference)

        /// Parses a baseline (`NAME` or `NAME:ESTIMATOR`) or a model `NAME:VERSION` /
        /// `NAME@ALIAS`; a baseline wins, so a model named like a baseline is reached only by a
        /// version number or an alias.
        /// - Throws: `Problem` (64): the baseline parser's message when the text starts with a
        ///   baseline's name and is no model reference (`equal-weight:ewma`), else one listing
        ///   the valid forms.
        package init(parsing text: String) throws(Problem) {
            do {
                self = .baseline(try BaselineSpec(parsing: text))
            } catch {
                if let reference = ModelRegistry.Reference(parsing: text) {
                    self = .model(reference)
                } else if error.namesBaseline {
                    throw Problem(description: "--strategy: \(error)", exitStatus: ExitStatus.usage)
                } else {
                    throw Problem(
                        description:
                            "--strategy must be one of \(BaselineName.allCases.map(\.rawValue).joined(separator: ", ")) (\(BaselineSpec.covarianceRules) also as NAME:ewma or NAME:ledoit-wolf), or NAME:VERSION or NAME@ALIAS; found '\(text)'",
                        exitStatus: ExitStatus.usage)
                }
            }
        }
    }

    /// The baseline or the model version the plan names.
    static func strategy(_ plan: Plan) throws -> (any Allocator, ModelManifest?) {
        switch try Strategy(parsing: plan.strategy) {
        case .baseline(let spec): return (Baseline(spec, window: plan.window), nil)
        case .model(let reference):
            let loaded = try PolicyModel.load(reference, from: ModelRegistry(root: URL(fileURLWithPath: plan.models)))
            return (loaded.allocator, loaded.manifest)
        }
    }

    /// The same strategy with the futures and auto-chosen assets held spot (nil when it
    /// cannot run; `note` says why, or what the derivatives gained).
    static func spotOnly(
        _ allocator: any Allocator, _ market: Dataset, _ settings: BacktestSettings, _ result: BacktestResult,
        note: (String) -> Void
    ) -> BacktestFile.SpotComparison? {
        do {
            let spot = try Simulator.run(allocator, on: market.heldAtSpot(), settings: settings)
            let comparison = BacktestFile.SpotComparison(
                finalWealth: spot.metrics.finalWealth, against: result.metrics.finalWealth)
            note(
                "held spot instead: final wealth \(spot.metrics.finalWealth) (log gain of the derivatives \(comparison.logGain.map { "\($0)" } ?? "null"))"
            )
            return comparison
        } catch {
            note("warning: the same strategy held spot could not run: \(error)")
            return nil
        }
    }

    /// The row of `date`, refused when it is not a date of the data.
    static func row(of date: Timestamp, in market: Dataset, plan: Plan, option: String) throws(Problem) -> Int {
        guard let row = market.row(at: date) else {
            throw Problem(
                description:
                    "\(option) \(date) is not a date of \(plan.data)/prices.csv, which runs from \(market.dates.first!) to \(market.dates.last!)",
                exitStatus: ExitStatus.badData)
        }
        return row
    }
}
