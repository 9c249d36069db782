import Foundation
import Policy
import Support
import TensorModule

/// What one ensemble member's next epoch of training reads, as JSON for the PyTorch twin of
/// the training step (`scripts/bench/policy_torch.py`) and for the test that replays it: the
/// config's step settings, the policy's inputs at every row the epoch's windows decide at,
/// each cost term's rates there, the windows of each step, and the member's parameters.
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

    /// The next `stepsPerEpoch` steps of `training` as they stand: its windows (drawn from a
    /// copy of its generator) and its current parameters.
    /// - Precondition: a policy without sleeves or a risk-budget design.
    /// A config the twin does not replicate (64).
    package struct Unsupported: ReportableError {
        package let description: String
        package var exitStatus: Int32 { ExitStatus.usage }
    }

    /// The dump of `training`'s next epoch on the dataset `data` (a path, recorded).
    /// - Throws: `Unsupported` for sleeves, a risk budget or market impact (`aum:`), which the
    ///   twin does not write.
    package init(_ training: MemberTraining, data: String) throws(Unsupported) {
        let (setting, config) = (training.setting, training.setting.config)
        guard config.sleeves.isEmpty && config.budget == nil && config.aum == nil else {
            throw Unsupported(
                description: "--dump: the PyTorch twin has no sleeves, risk budget or aum; use a config without them")
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
