import LinearAlgebra
import Portfolio
import Risk

/// Equal risk contribution: `w_i (Sigma w)_i` equal for all i, `w > 0`, `sum w = 1`: risk
/// budgeting with equal budgets (`RiskBudgeting`, Spinu's convex form solved by Newton).
enum RiskParity {
    static func weights(_ estimate: CovarianceEstimate, warnings: inout [String]) -> [Double] {
        if let warning = estimate.warning { warnings.append(warning) }
        return RiskBudgeting.solve(covariance: estimate.matrix, order: estimate.order, budgets: .equal).weights
    }
}
