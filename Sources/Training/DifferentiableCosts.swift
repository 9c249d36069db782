import Portfolio
import Support
import TensorModule

/// A trading cost term the training can differentiate: the same term the simulator charges
/// (`TradingCostTerm`), written as tensor ops.
package protocol DifferentiableTradingCost: TradingCostTerm {
    /// The term per batch row `[B]`, from the weight traded per asset `[B, N]` (both legs of
    /// a roll) and its sum `tau` `[B]`, for trades at the close of `decisionRows`.
    func cost<Scalar: TensorScalar>(traded: Tensor<Scalar>, turnover: Tensor<Scalar>, decisionRows: [Int]) -> Tensor<Scalar>
}

/// A holding cost term the training can differentiate (`HoldingCostTerm` as tensor ops).
package protocol DifferentiableHoldingCost: HoldingCostTerm {
    /// The term per batch row `[B]` for the risky weights `[B, N]` taken at the close of
    /// `decisionRows` and held over the next period.
    func cost<Scalar: TensorScalar>(holding risky: Tensor<Scalar>, decisionRows: [Int]) -> Tensor<Scalar>
}

extension ProportionalFee: DifferentiableTradingCost {
    package func cost<Scalar: TensorScalar>(traded: Tensor<Scalar>, turnover: Tensor<Scalar>, decisionRows: [Int])
        -> Tensor<Scalar>
    {
        turnover * Scalar(rate)
    }
}

extension PerpetualFunding: DifferentiableHoldingCost {
    package func cost<Scalar: TensorScalar>(holding risky: Tensor<Scalar>, decisionRows: [Int]) -> Tensor<Scalar> {
        let n = risky.shape[1]
        let scalars = decisionRows.flatMap { row in (0..<n).map { Scalar(rate(asset: $0, afterDecisionRow: row)) } }
        return (risky * Tensor(shape: [decisionRows.count, n], scalars: scalars)).sum(alongAxis: 1)
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

    /// `c_t` per batch row: the trading terms summed.
    func tradingCost<Scalar: TensorScalar>(traded: Tensor<Scalar>, turnover: Tensor<Scalar>, decisionRows: [Int])
        -> Tensor<Scalar>
    {
        let terms = trading.map { $0.cost(traded: traded, turnover: turnover, decisionRows: decisionRows) }
        return terms.dropFirst().reduce(terms.first ?? turnover * 0, +)
    }

    /// `F_t` per batch row: the holding terms summed.
    func holdingCost<Scalar: TensorScalar>(holding risky: Tensor<Scalar>, decisionRows: [Int]) -> Tensor<Scalar> {
        let terms = holding.map { $0.cost(holding: risky, decisionRows: decisionRows) }
        return terms.dropFirst().reduce(terms.first ?? risky.sum(alongAxis: 1) * 0, +)
    }
}
