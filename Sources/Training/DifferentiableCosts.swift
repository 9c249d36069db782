import Portfolio
import Support
import TensorModule

/// The form of a trading cost term that the training's accounting differentiates: numbers
/// the term gives for a batch of decisions, turned into tensor ops by `DifferentiableCosts`
/// (so the tensor code stays specialised for the scalar type, and a term needs no tensor code
/// of its own).
package enum TradingCostForm: Sendable {
    /// `rate * tau`: proportional to the weight traded (both legs of a roll).
    case proportional(rate: Double)
    /// Market impact by the square-root law (`MarketImpact`): per batch row, `sum_i scale_i *
    /// (leg1_i^1.5 + leg2_i^1.5) * sqrt(W_{t-1})`, the legs `|w_i - held_i|` and 0, or `|held_i|`
    /// and `|w_i|` where the asset rolls; `scales` per batch row and asset `[B * N]` row-major.
    case impact(scales: [Double])
}

/// A trading cost term the training can differentiate: the same term the simulator charges
/// (`TradingCostTerm`), in a form the accounting turns into tensor ops.
package protocol DifferentiableTradingCost: TradingCostTerm {
    /// The term's form for trades at the close of `decisionRows`.
    func form(decisionRows: [Int]) -> TradingCostForm
}

/// A holding cost term the training can differentiate: per unit of weight held.
package protocol DifferentiableHoldingCost: HoldingCostTerm {
    /// The rate per unit of weight, `[B * N]` row-major, of each asset taken at the close of
    /// `decisionRows` and held over the next period.
    func rates(decisionRows: [Int], assets: Int) -> [Double]
}

extension ProportionalFee: DifferentiableTradingCost {
    package func form(decisionRows: [Int]) -> TradingCostForm { .proportional(rate: rate) }
}

extension MarketImpact: DifferentiableTradingCost {
    /// `.impact` with the scales at each decision row. An asset without one there (no volume
    /// over the window) gets 0, right for an unlisted asset, which holds and trades nothing;
    /// the caller refuses data where a listed asset lacks one before it trains (training does:
    /// `PolicyTrainer.requireVolume`).
    package func form(decisionRows: [Int]) -> TradingCostForm {
        .impact(scales: decisionRows.flatMap { row in assets.indices.map { scale(row: row, asset: $0) ?? 0 } })
    }
}

extension PerpetualFunding: DifferentiableHoldingCost {
    package func rates(decisionRows: [Int], assets: Int) -> [Double] {
        decisionRows.flatMap { row in (0..<assets).map { rate(asset: $0, afterDecisionRow: row) } }
    }
}

/// The cost model of a training run, each term in its differentiable form: what the
/// simulator charges at validation is what the loss is differentiated through.
package struct DifferentiableCosts: Sendable {
    /// A term the training cannot differentiate (a programming error, 70).
    package struct Failure: ReportableError {
        package let description: String
        package var exitStatus: Int32 { ExitStatus.internalFailure }
    }

    package let trading: [any DifferentiableTradingCost]
    package let holding: [any DifferentiableHoldingCost]

    package init(trading: [any DifferentiableTradingCost], holding: [any DifferentiableHoldingCost]) {
        self.trading = trading
        self.holding = holding
    }

    /// The terms of `model`; every term must have a differentiable form.
    package init(_ model: CostModel) throws(Failure) {
        var trading: [any DifferentiableTradingCost] = []
        for term in model.trading {
            guard let differentiable = term as? any DifferentiableTradingCost else {
                throw Failure(description: "the cost term \(type(of: term)) has no differentiable form")
            }
            trading.append(differentiable)
        }
        var holding: [any DifferentiableHoldingCost] = []
        for term in model.holding {
            guard let differentiable = term as? any DifferentiableHoldingCost else {
                throw Failure(description: "the cost term \(type(of: term)) has no differentiable form")
            }
            holding.append(differentiable)
        }
        self.init(trading: trading, holding: holding)
    }

    /// `c_t` per batch row `[B]`: the trading terms summed over `trade`.
    func tradingCost<Scalar: TensorScalar>(of trade: BatchTrade<Scalar>) -> Tensor<Scalar> {
        var total: Tensor<Scalar>?
        for term in trading {
            let cost: Tensor<Scalar>
            switch term.form(decisionRows: trade.decisionRows) {
            case .proportional(let rate): cost = trade.turnover * Scalar(rate)
            case .impact(let scales): cost = Self.impact(of: trade, scales: scales)
            }
            total = total.map { $0 + cost } ?? cost
        }
        return total ?? trade.turnover * 0
    }

    /// Market impact per batch row `[B]`: `sum_i scale_i (leg1_i^1.5 + leg2_i^1.5) sqrt(W_{t-1})`,
    /// what `MarketImpact.cost(of:)` charges the simulator's trade (d/dd of `d^1.5` is 0 at 0,
    /// so a weight that does not move has a finite gradient).
    static func impact<Scalar: TensorScalar>(of trade: BatchTrade<Scalar>, scales: [Double]) -> Tensor<Scalar> {
        let (first, second) = trade.legs()
        let paid = second.map { first.pow(1.5) + $0.pow(1.5) } ?? first.pow(1.5)
        let perRow = (paid * Tensor(shape: first.shape, scalars: scales.map { Scalar($0) })).sum(alongAxis: 1)
        return trade.wealthBefore.map { perRow * $0.squareRoot() } ?? perRow
    }

    /// `F_t` per batch row `[B]`: the holding terms summed, for the risky weights `[B, N]`.
    func holdingCost<Scalar: TensorScalar>(holding risky: Tensor<Scalar>, decisionRows: [Int]) -> Tensor<Scalar> {
        let (batch, assets) = (risky.shape[0], risky.shape[1])
        var total: Tensor<Scalar>?
        for term in holding {
            let rates = term.rates(decisionRows: decisionRows, assets: assets).map { Scalar($0) }
            let cost = (risky * Tensor(shape: [batch, assets], scalars: rates)).sum(alongAxis: 1)
            total = total.map { $0 + cost } ?? cost
        }
        return total ?? risky.sum(alongAxis: 1) * 0
    }
}
