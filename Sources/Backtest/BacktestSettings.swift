import Portfolio

/// When a backtest trades.
package enum RebalanceSchedule: Sendable, Equatable, CustomStringConvertible {
    /// On periods 0, N, 2N, ... counted from the start (`every:N`).
    case every(Int)
    /// When the drifted weights are more than this far (sum of absolute differences over
    /// risky assets) from the last traded target (`drift:X`).
    case drift(Double)

    /// Parses `every:N` or `drift:X`.
    package init?(parsing text: String) {
        let parts = text.split(separator: ":", maxSplits: 1)
        guard parts.count == 2 else { return nil }
        switch parts[0] {
        case "every":
            guard let n = Int(parts[1]), n >= 1 else { return nil }
            self = .every(n)
        case "drift":
            guard let x = Double(parts[1]), x > 0, x.isFinite else { return nil }
            self = .drift(x)
        default: return nil
        }
    }

    package var description: String {
        switch self {
        case .every(let n): "every:\(n)"
        case .drift(let x): "drift:\(x)"
        }
    }
}

/// What a backtest simulates: the range, the schedule and the fee.
package struct BacktestSettings: Sendable {
    /// The first return row, or nil for the first row the allocator can decide before.
    package var firstReturnRow: Int?
    /// The last return row, or nil for the last row of the data.
    package var lastReturnRow: Int?
    package var rebalance = RebalanceSchedule.every(1)
    /// Fee in basis points of traded weight.
    package var feeBasisPoints = 0.0
    /// The daily job's limits, applied to every traded decision by the same code
    /// (`HardConstraints`, `LimitEnforcer`), or nil for none.
    package var limits: RiskLimits?
    /// Returns in the risk window the limits are measured on (the daily job's default).
    package var riskWindow = 90
    /// The starting capital in USD, for market impact (contract section 11); nil for none.
    package var assetsUnderManagement: Double?
    /// Leave out the allocator's options overlay (to evaluate a model with and without it).
    package var withoutOverlay = false

    package init() {}
}
