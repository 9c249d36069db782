import Foundation
import Layers
import Support
import TensorModule

/// The allocation policy: one small scorer shared by every asset (so one model serves a
/// universe whose assets list and delist), a cash score from the market-wide inputs, and a
/// softmax over the listed assets and cash to long-only weights; unlisted assets get 0.
///
/// With sleeves (a sleeve-mixture policy) the weights are instead a mixture of the sleeves'
/// portfolios `m = sum_s pi_s P_s`, `pi = softmax(mixer(market inputs))`, tilted per asset and
/// cash by a bounded factor and renormalised: `w_i = m_i e_i / sum_j m_j e_j`,
/// `e = exp(tilt * tanh(score))` with the scores of the scorer and the cash layer. The tilt
/// and mixer start at zero (so the untrained policy is the mixture its mixer's biases give:
/// see `startOnSleeve`); a weight moves by at most a factor `exp(2 tilt)` against another,
/// and an asset no sleeve holds stays at 0.
///
/// Shapes: B batch, N assets, S sleeves; asset inputs `[B, N, F]` (F = scorer inputs, the
/// held weight last), market inputs `[B, C]`, listed mask `[B, N]`, sleeve portfolios
/// `[B, S, N + 1]`; weights `[B, N + 1]`, cash last.
package struct PolicyNetwork<Scalar: TensorScalar>: Sendable {
    package let scorer: MLP<Scalar>
    package let cash: Linear<Scalar>
    /// The sleeve mixer (market inputs to one logit per sleeve), nil without sleeves.
    package let mixer: Linear<Scalar>?
    package let scorerInputs: Int
    package let cashInputs: Int
    /// The bound of the per-weight log tilt (sleeve-mixture policies only).
    package let tilt: Double
    /// The risk-budget design (nil: a free or sleeve-mixture policy). Its scorer's scores
    /// tilt the core's budgets; the cash layer is unused (exposure is set outside). A copy
    /// with another design's band shares the parameters (the band acts only on decisions).
    package var budget: BudgetDesign?

    /// - Parameters:
    ///   - name: the prefix of the parameters' names (`NAME.scorer.*`, `NAME.cash.*`,
    ///     `NAME.mixer.*`).
    ///   - sleeves: the number of sleeves (0: softmax over scores, no mixer).
    ///   - tilt: the bound of the log tilt with sleeves.
    ///   - budget: the risk-budget design: the scorer's last layer starts at zero, so the
    ///     untrained policy is the design's anchor exactly.
    package init(
        scorerInputs: Int, cashInputs: Int, hidden: [Int], seed: UInt64, name: String = "policy", sleeves: Int = 0,
        tilt: Double = 0, budget: BudgetDesign? = nil
    ) {
        var g = SeededGenerator(seed: seed)
        scorer = MLP(
            inputs: scorerInputs, hidden: hidden, outputs: 1, activation: .tanh, name: "\(name).scorer",
            initializer: .xavierUniform(), using: &g)
        cash = Linear(inputs: cashInputs, outputs: 1, name: "\(name).cash", initializer: .xavierUniform(), using: &g)
        mixer =
            sleeves > 0
            ? Linear(inputs: cashInputs, outputs: sleeves, name: "\(name).mixer", initializer: .zeros, using: &g) : nil
        self.scorerInputs = scorerInputs
        self.cashInputs = cashInputs
        self.tilt = tilt
        self.budget = budget
        if sleeves > 0 || budget != nil { startAtEqualWeight() }
    }

    /// The number of sleeves (0 without).
    package var sleeves: Int { mixer?.outputs ?? 0 }

    /// Sets the mixer's biases so the untrained mixture holds `share` of sleeve `index` and
    /// spreads the rest evenly over the others (the mixer's weights and the tilt at zero).
    /// - Precondition: a sleeve policy, `0 <= index < sleeves`, `0 < share < 1`.
    package func startOnSleeve(_ index: Int, share: Double) {
        guard let mixer else { preconditionFailure("startOnSleeve needs a sleeve policy") }
        precondition((0..<sleeves).contains(index) && share > 0 && share < 1, "startOnSleeve: bad sleeve or share")
        let lift = sleeves > 1 ? Foundation.log(share * Double(sleeves - 1) / (1 - share)) : 0
        let biases = (0..<sleeves).map { Scalar($0 == index ? lift : 0) }
        mixer.bias.assign(Tensor(shape: mixer.bias.shape, scalars: biases))
        mixer.weight.assign(
            Tensor(shape: mixer.weight.shape, scalars: Array(repeating: 0, count: mixer.weight.value.scalars.count)))
    }

    /// The parameter-name prefix of ensemble member `k` (from 0): `policy` for the first (so
    /// a single-network model keeps its names), then `policy.member2`, `policy.member3`, ...
    /// (members count from 1 in names, logs and checkpoint folders).
    package static func memberName(_ k: Int) -> String {
        k == 0 ? "policy" : "policy.member\(k + 1)"
    }

    /// The output layers' parameters (the scorer's last layer and the cash layer): at zero,
    /// every listed asset and cash get the same logit, i.e. equal weight.
    package var outputParameters: [Parameter<Scalar>] { scorer.layers.last!.parameters + cash.parameters }

    /// Sets the output layers to zero: the policy becomes equal weight over the listed
    /// assets and cash, whatever its inputs (with sleeves: the tilt becomes zero).
    package func startAtEqualWeight() {
        for parameter in outputParameters {
            parameter.assign(Tensor(shape: parameter.shape, scalars: Array(repeating: 0, count: parameter.value.scalars.count)))
        }
    }

    /// Every trainable parameter.
    package var parameters: [Parameter<Scalar>] { scorer.parameters + cash.parameters + (mixer?.parameters ?? []) }

    /// The parameters a regulariser pulls back toward their starting values: the output
    /// layers and, with sleeves, the mixer.
    package var anchoredParameters: [Parameter<Scalar>] { outputParameters + (mixer?.parameters ?? []) }

    /// The risk-budget policy's weights `[B, N + 1]` (cash last): budgets
    /// `softmax(log b_anchor + tau tanh(score))` over each row's core, weights from the
    /// risk-budgeting layer, scaled by the row's exposure; cash is the rest.
    /// - Parameters:
    ///   - cores: each row's core (nil: all cash).
    ///   - exposures: each row's exposure in [0, 1] (0 where the core is nil).
    package func budgetWeights(assetInputs: Tensor<Scalar>, cores: [BudgetCore?], exposures: [Double]) -> Tensor<Scalar> {
        guard let budget else { preconditionFailure("budgetWeights needs a risk-budget policy") }
        let (b, n) = (assetInputs.shape[0], assetInputs.shape[1])
        let scores = scorer(assetInputs.reshaped([b * n, scorerInputs])).reshaped([b, n])
        var logAnchor = [Scalar](repeating: -1e4, count: b * n)
        var onCore = [Scalar](repeating: 0, count: b * n)
        for (row, core) in cores.enumerated() {
            guard let core else { continue }
            for (k, asset) in core.assets.enumerated() {
                logAnchor[row * n + asset] = Scalar(Foundation.log(core.anchor[k]))
                onCore[row * n + asset] = 1
            }
        }
        let tilt = scores.tanh() * Tensor(shape: [b, n], scalars: onCore.map { $0 * Scalar(budget.tau) })
        let budgets = (Tensor(shape: [b, n], scalars: logAnchor) + tilt).softmax(alongAxis: 1)
        let exposure = Tensor<Scalar>(shape: [b, 1], scalars: exposures.map { Scalar($0) })
        let risky = RiskBudgetLayer.weights(budgets, cores: cores) * exposure
        return Tensor.concatenated([risky, 1 - exposure], alongAxis: 1)
    }

    /// Long-only weights `[B, N + 1]` (cash last) summing to 1 per row.
    /// - Parameter sleevePortfolios: `[B, S, N + 1]`, required with sleeves.
    package func weights(
        assetInputs: Tensor<Scalar>, marketInputs: Tensor<Scalar>, listed: Tensor<Scalar>, sleevePortfolios: Tensor<Scalar>? = nil
    ) -> Tensor<Scalar> {
        let (b, n) = (assetInputs.shape[0], assetInputs.shape[1])
        let scores = scorer(assetInputs.reshaped([b * n, scorerInputs])).reshaped([b, n])
        if let mixer {
            guard let sleevePortfolios else { preconditionFailure("a sleeve policy needs its sleeves' portfolios") }
            let shares = mixer(marketInputs).softmax(alongAxis: 1).reshaped([b, sleeves, 1])
            let mixture = (shares * sleevePortfolios).sum(alongAxis: 1)
            let tilt = (Tensor.concatenated([scores, cash(marketInputs)], alongAxis: 1).tanh() * Scalar(self.tilt)).exp()
            let tilted = mixture * tilt
            return tilted / tilted.sum(alongAxis: 1, keepingDimension: true)
        }
        // Unlisted assets: a logit of -1e4 gives exp underflow to exactly 0.
        let masked = Tensor.selecting(listed, scores, Tensor(repeating: -1e4, shape: [b, n]))
        let logits = Tensor.concatenated([masked, cash(marketInputs)], alongAxis: 1)
        return logits.softmax(alongAxis: 1)
    }
}
