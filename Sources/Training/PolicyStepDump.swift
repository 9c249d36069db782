import Foundation
import Policy
import Support
import TensorModule

/// What one ensemble member's next epoch of training reads, as JSON for the PyTorch twin of
/// the training step (`scripts/bench/policy_torch.py`) and for the test that replays it: the
/// config's step settings, the policy's inputs at every row the epoch's windows decide at,
/// each cost term's rates there, the windows of each step, and the member's parameters; for a
/// risk-budget policy also its tilt bound and each row's core and exposure (what the
/// risk-budgeting layer reads at every decision).
/// Written by `regimen-bench policy-train --dump`. `Float` values are widened to `Double`
/// (exactly), so a reader in either precision starts from the very numbers training uses.
///
/// Shapes: R rows (`rows`, sorted), N assets, Fa asset features, C market inputs (market
/// features then regime probabilities), S steps, B windows per step; a window's rows are
/// consecutive in `rows`.
package struct PolicyStepDump: Codable, Sendable {
    /// The config's values that one training step uses.
    package struct Settings: Codable, Sendable, Equatable {
        package var hidden: [Int]
        package var window: Int
        package var batch: Int
        package var learningRate: Double
        package var clip: Double
        package var riskPenalty: Double
        package var riskMeasure: TrainingConfig.RiskMeasure
        package var objective: TrainingConfig.Objective
        package var anchorPenalty: Double
    }

    /// A risk-budget policy's part of the dump: the tilt bound and, per row of `rows`, the
    /// core (nil: no asset has a full covariance window, the policy holds cash) and the
    /// exposure (the core's volatility scale times the regime gate).
    package struct Budget: Codable, Sendable, Equatable {
        /// A core: its assets (dataset indices, ascending), their covariance `[m * m]`
        /// row-major, the anchor budgets `[m]` and the volatility scale before the gate.
        package struct Core: Codable, Sendable, Equatable {
            package var assets: [Int]
            package var covariance: [Double]
            package var anchor: [Double]
            package var volatilityScale: Double
        }

        package var tau: Double
        /// `[R]`.
        package var cores: [Core?]
        /// `[R]`.
        package var exposures: [Double]
    }

    /// A parameter: its name, shape and values in row-major order.
    package struct Values: Codable, Sendable, Equatable {
        package var name: String
        package var shape: [Int]
        package var values: [Double]
    }

    /// The parameters' name prefix (`policy` for the first member).
    package var name: String
    /// The dataset the inputs come from, as given.
    package var data: String
    package var config: Settings
    package var assets, assetFeatureCount, marketFeatureCount, regimes: Int
    /// The decision rows of the dataset the arrays below hold, `[R]`.
    package var rows: [Int]
    /// `[R][N * Fa]`, `[R][C]`, `[R][N]`, `[R][N]`.
    package var assetFeatures, marketFeatures, listed, nextReturns: [[Double]]
    /// `[R][N]`, nil when no asset ever rolls (the accounting then skips roll legs).
    package var rolling: [[Double]]?
    /// Each trading cost term's proportional rate (fee per unit traded).
    package var tradingRates: [Double]
    /// Each holding cost term's rates per unit of weight, `[terms][R][N]`.
    package var holdingRates: [[[Double]]]
    /// The first decision row of each window, `[S][B]` (dataset rows).
    package var starts: [[Int]]
    /// The member's parameters, in `PolicyNetwork.parameters` order.
    package var parameters: [Values]
    /// The risk-budget policy's tilt bound, cores and exposures (nil for a free policy).
    package var budget: Budget?

    /// A config the twin does not replicate (64).
    package struct Unsupported: ReportableError {
        package let description: String
        package var exitStatus: Int32 { ExitStatus.usage }
    }

    /// The dump of `training`'s next `stepsPerEpoch` steps on the dataset `data` (a path,
    /// recorded) as they stand: its windows (drawn from a copy of its generator) and its
    /// current parameters.
    /// - Throws: `Unsupported` for sleeves or market impact (`aum:`), which the twin does not
    ///   write.
    package init(_ training: MemberTraining, data: String) throws(Unsupported) {
        let (setting, config) = (training.setting, training.setting.config)
        guard config.sleeves.isEmpty && config.aum == nil else {
            throw Unsupported(description: "--dump: the PyTorch twin has no sleeves or aum; use a config without them")
        }
        let inputs = setting.inputs
        var generator = training.generator
        let starts = (0..<config.stepsPerEpoch).map { _ in
            PolicyStep.windowStarts(config, trainRows: setting.trainRows, using: &generator)
        }
        let rows = Array(Set(starts.joined().flatMap { $0..<($0 + config.window) })).sorted()
        func wide(_ table: [[Float]]) -> [[Double]] { rows.map { table[$0].map(Double.init) } }
        (self.starts, self.rows) = (starts, rows)
        (assetFeatures, marketFeatures, listed, nextReturns) =
            (wide(inputs.assetFeatures), wide(inputs.marketFeatures), wide(inputs.listed), wide(inputs.nextReturns))
        rolling = inputs.rollsAnyAsset ? wide(inputs.rolling) : nil
        tradingRates = setting.costs.trading.compactMap {
            // Without aum every trading term is proportional (checked above).
            guard case .proportional(let rate) = $0.form(decisionRows: rows) else { return nil }
            return rate
        }
        let n = inputs.assets
        holdingRates = setting.costs.holding.map { term in
            let flat = term.rates(decisionRows: rows, assets: n)
            return rows.indices.map { Array(flat[($0 * n)..<(($0 + 1) * n)]) }
        }
        (name, self.data, assets, regimes) = (PolicyNetwork<Float>.memberName(training.member), data, n, inputs.regimes)
        (assetFeatureCount, marketFeatureCount) = (inputs.assetFeatureCount, inputs.marketFeatureCount)
        self.config = Settings(
            hidden: config.hidden, window: config.window, batch: config.batch, learningRate: config.learningRate,
            clip: config.clip, riskPenalty: config.riskPenalty, riskMeasure: config.riskMeasure, objective: config.objective,
            anchorPenalty: config.anchorPenalty)
        parameters = training.network.parameters.map {
            Values(name: $0.name, shape: $0.shape, values: $0.value.scalars.map(Double.init))
        }
        budget = config.budget.map { design in
            Budget(
                tau: design.tau,
                cores: rows.map { row in
                    inputs.cores[row].map {
                        Budget.Core(
                            assets: $0.assets, covariance: $0.covariance, anchor: $0.anchor, volatilityScale: $0.volatilityScale)
                    }
                },
                exposures: rows.map { inputs.exposures[$0] })
        }
    }

    /// The dump as JSON: snake_case keys, sorted, one line (large arrays stay compact).
    package func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(UInt8(ascii: "\n"))
        return data
    }
}
