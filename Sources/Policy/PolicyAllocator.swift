import Features
import Market
import Portfolio
import Regimes
import TensorModule

/// A trained policy as an `Allocator`: it meets the same simulator, costs and limits as the
/// baselines (nothing special is allowed to a model).
package struct PolicyAllocator: Allocator, @unchecked Sendable {
    package let name: String
    package let network: PolicyNetwork<Float>
    package let normalisation: FeatureNormalisation
    package let regimeModel: GaussianHMM?
    package let spec: FeatureSpec

    package init(name: String, network: PolicyNetwork<Float>, normalisation: FeatureNormalisation, regimeModel: GaussianHMM?, spec: FeatureSpec = FeatureSpec()) {
        self.name = name
        self.network = network
        self.normalisation = normalisation
        self.regimeModel = regimeModel
        self.spec = spec
    }

    package func firstDecisionRow(in market: Dataset) -> Int { 1 }

    /// One decision from the market up to `row`, holding nothing (use a session to carry
    /// holdings from decision to decision).
    package func allocate(_ market: Dataset, atRow row: Int) throws -> Allocation {
        let inputs = PolicyInputs(market.truncated(throughRow: row), normalisation: normalisation, regimeModel: regimeModel, spec: spec)
        return decide(inputs, row: row, holding: Array(repeating: 0, count: market.assets.count))
    }

    /// The weights at `row` of precomputed `inputs`, holding `holding`.
    package func decide(_ inputs: PolicyInputs, row: Int, holding: [Double]) -> Allocation {
        let n = inputs.assets
        let weights = GradientRecording.withoutGradients {
            PolicyRollout.decide(network, inputs, rows: [row], held: Tensor(shape: [1, n], scalars: holding.map(Float.init)))
        }
        return Allocation(weights: (0..<n).map { Double(weights.scalars[$0]) })
    }

    /// A backtest session: the causal inputs are computed once, up to the last decision row,
    /// and each decision reads only its own row (features at a row use data up to it).
    package func session(deciding rows: ClosedRange<Int>, market: Dataset) -> any AllocationSession {
        PolicySession(allocator: self, inputs: PolicyInputs(
            market.truncated(throughRow: rows.upperBound), normalisation: normalisation, regimeModel: regimeModel, spec: spec))
    }
}

struct PolicySession: AllocationSession {
    let allocator: PolicyAllocator
    let inputs: PolicyInputs
    var decidesEveryPeriod: Bool { false }

    mutating func decide(_ market: Dataset, atRow row: Int, holding: [Double]) throws -> Allocation {
        allocator.decide(inputs, row: row, holding: holding)
    }
}
