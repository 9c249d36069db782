import Features
import Market
import Options
import Portfolio
import Regimes
import Support
import TensorModule

/// A trained policy as an `Allocator`: it meets the same simulator, costs and limits as the
/// baselines (nothing special is allowed to a model). An ensemble of networks trained from
/// different seeds decides by the mean of its members' weights (still long-only, summing
/// to 1, zero on unlisted assets), which damps any one seed's quirks (LESSONS 5).
package struct PolicyAllocator: Allocator, @unchecked Sendable {
    /// The model's registry name and version (no version before it is published).
    package let identity: AllocatorIdentity
    /// The ensemble's networks (one for a single-network model).
    package let members: [PolicyNetwork<Float>]
    package let normalisation: FeatureNormalisation
    package let regimeModel: GaussianHMM?
    package let spec: FeatureSpec
    /// The sleeves the members mix, in their mixers' order (empty without sleeves).
    package let sleeves: [PolicySleeve]
    /// The options overlay held on top of the weights (nil: none).
    package var overlay: OverlaySpec?
    /// Where its sessions take their inputs from when another policy with the same inputs
    /// already computed them (nil: every session computes its own; see `SharedSessionInputs`).
    package var sharedInputs: SharedSessionInputs?

    /// - Precondition: at least one member, each mixing exactly `sleeves.count` sleeves.
    package init(
        name: String, version: Int? = nil, members: [PolicyNetwork<Float>], normalisation: FeatureNormalisation,
        regimeModel: GaussianHMM?,
        spec: FeatureSpec = FeatureSpec(), sleeves: [PolicySleeve] = []
    ) {
        precondition(!members.isEmpty, "a policy needs at least one network")
        precondition(members.allSatisfy { $0.sleeves == sleeves.count }, "every member mixes the policy's sleeves")
        precondition(members.allSatisfy { $0.budget == members[0].budget }, "every member has the policy's design")
        self.sleeves = sleeves
        identity = AllocatorIdentity(kind: .model, name: name, version: version)
        self.members = members
        self.normalisation = normalisation
        self.regimeModel = regimeModel
        self.spec = spec
    }

    /// The risk-budget design the members share (nil: a free or sleeve-mixture policy).
    package var budget: BudgetDesign? { members[0].budget }

    /// The labels of the regime model's states (empty without one).
    package var regimeLabels: [RegimeLabel] { regimeModel.map { RegimeLabel.all($0.states) } ?? [] }

    /// `NAME:VERSION` (the name alone before publication).
    package var name: String { identity.description }

    /// Every member's parameters, in member order.
    package var parameters: [Parameter<Float>] { members.flatMap(\.parameters) }

    package func firstDecisionRow(in market: Dataset) -> Int { 1 }

    /// One decision from the view, holding nothing (use a session to carry holdings from
    /// decision to decision).
    package func allocate(_ view: MarketView) throws -> Allocation {
        let inputs = try inputs(view.history)
        return decide(inputs, row: view.row, holding: Array(repeating: 0, count: view.history.assets.count))
    }

    /// Why a model cannot decide on a market: its features are not the ones it was trained on.
    package struct Incompatible: ReportableError {
        package let description: String
        /// The data do not fit the model: bad input (65).
        package var exitStatus: Int32 { ExitStatus.badData }

        package init(description: String) { self.description = description }
    }

    /// The policy's inputs on `market`, after checking that the market gives exactly the
    /// features the model was trained on (names and, with the regime model, widths), so a
    /// model never meets data it cannot read.
    /// - Parameters:
    ///   - features: the market's raw features, when already computed with `spec`.
    ///   - onlyRows: materialise only these rows.
    package func inputs(_ market: Dataset, features: FeatureTable? = nil, onlyRows: ClosedRange<Int>? = nil) throws(Incompatible)
        -> PolicyInputs
    {
        let raw = features ?? FeatureBuilder.compute(market, spec: spec)
        let given = Set(raw.assetFeatures + raw.marketFeatures)
        let known = Set(normalisation.features.keys)
        if let extra = given.subtracting(known).sorted().first {
            throw Incompatible(description: "the data give feature '\(extra)', which model \(name) was not trained on")
        }
        if let missing = known.subtracting(given).sorted().first {
            throw Incompatible(description: "model \(name) needs feature '\(missing)', which the data do not give")
        }
        let inputs = PolicyInputs(
            market, normalisation: normalisation, regimeModel: regimeModel, spec: spec, features: raw, sleeves: sleeves,
            budget: budget, onlyRows: onlyRows)
        for member in members where member.scorerInputs != inputs.scorerInputs || member.cashInputs != inputs.cashInputs {
            throw Incompatible(
                description:
                    "model \(name)'s network takes \(member.scorerInputs) asset and \(member.cashInputs) cash inputs; the data and its regime model give \(inputs.scorerInputs) and \(inputs.cashInputs)"
            )
        }
        return inputs
    }

    /// The weights at `row` of precomputed `inputs`, holding `holding`. A risk-budget policy
    /// holds what it holds on a date its cadence does not trade, and when the new weights are
    /// inside its no-trade band.
    package func decide(_ inputs: PolicyInputs, row: Int, holding: [Double]) -> Allocation {
        if let budget, !budget.trades(onDay: inputs.days[row]), holding.contains(where: { $0 != 0 }) {
            return Allocation(weights: holding)
        }
        let n = inputs.assets
        let held = Tensor(shape: [1, n], scalars: holding.map(Float.init))
        var sums = [Double](repeating: 0, count: n)
        GradientRecording.withoutGradients {
            for member in members {
                let weights = member.decide(inputs, rows: [row], held: held)
                for asset in 0..<n { sums[asset] += Double(weights.scalars[asset]) }
            }
        }
        let weights = sums.map { $0 / Double(members.count) }
        if let band = budget?.band, band > 0, zip(weights, holding).reduce(0, { $0 + Swift.abs($1.0 - $1.1) }) < band {
            return Allocation(weights: holding)
        }
        return Allocation(weights: weights)
    }

    /// A backtest session: the causal inputs are computed once, for the decision rows only
    /// (the sleeves' portfolios are a baseline decision each, so not for the rows before),
    /// and each decision reads only its own row (features at a row use data up to it).
    package func session(deciding rows: ClosedRange<Int>, through view: MarketView) throws -> any AllocationSession {
        if let sharedInputs { return try sharedInputs.session(self, deciding: rows, through: view) }
        return try PolicySession(allocator: self, market: view.history, rows: rows)
    }
}

struct PolicySession: AllocationSession {
    let allocator: PolicyAllocator
    let inputs: PolicyInputs
    /// The regime label the model sees at each row of the session's market.
    let regimes: [RegimeLabel?]
    var decidesEveryPeriod: Bool { false }

    /// - Parameter rows: the rows it will decide at (clamped to the market's rows).
    init(allocator: PolicyAllocator, market: Dataset, rows: ClosedRange<Int>) throws(PolicyAllocator.Incompatible) {
        self.allocator = allocator
        let features = FeatureBuilder.compute(market, spec: allocator.spec)
        inputs = try allocator.inputs(market, features: features, onlyRows: rows.clamped(to: 0...(market.rowCount - 1)))
        if let model = allocator.regimeModel, let observations = try? RegimeObservations(dataset: market, table: features) {
            regimes = FilteredRegime.atRows(model, observations: observations, rows: market.rowCount).map { $0?.label }
        } else {
            regimes = Array(repeating: nil, count: market.rowCount)
        }
    }

    /// A session of `allocator` on inputs and regimes that another session computed.
    init(allocator: PolicyAllocator, inputs: PolicyInputs, regimes: [RegimeLabel?]) {
        self.allocator = allocator
        self.inputs = inputs
        self.regimes = regimes
    }

    mutating func decide(_ view: MarketView, holding: [Double]) throws -> Allocation {
        allocator.decide(inputs, row: view.row, holding: holding)
    }

    func regime(atRow row: Int) -> RegimeLabel? { regimes.indices.contains(row) ? regimes[row] : nil }
}
