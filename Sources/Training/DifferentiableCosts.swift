import Portfolio
import Support
import TensorModule

/// The form of a trading cost term that the training's accounting differentiates: numbers
/// the term gives for a batch of decisions, turned into tensor ops by `DifferentiableCosts`
/// (so the tensor code stays specialised for the scalar type, and a term needs no tensor code
/// of its own). The next cost (market impact) is one more case.
package enum TradingCostForm: Sendable {
    /// `rate * tau`: proportional to the weight traded (both legs of a roll).
    case proportional(rate: Double)
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

    /// `c_t` per batch row `[B]`: the trading terms summed, from the weight traded per asset
    /// `[B, N]` (both legs of a roll) and its sum `tau` `[B]`.
    func tradingCost<Scalar: TensorScalar>(traded: Tensor<Scalar>, turnover: Tensor<Scalar>, decisionRows: [Int])
        -> Tensor<Scalar>
    {
        var total: Tensor<Scalar>?
        for term in trading {
            let cost: Tensor<Scalar>
            switch term.form(decisionRows: decisionRows) {
            case .proportional(let rate): cost = turnover * Scalar(rate)
            }
            total = total.map { $0 + cost } ?? cost
        }
        return total ?? turnover * 0
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
