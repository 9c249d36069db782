import Market

/// The dated-futures features of one asset (contract section 7, `docs/features.md`), column by
/// column, from its chain and the underlying's spot closes; `nan` where missing.
///
/// At row t, with `S` the spot close, each contract with a close known at t (its last close,
/// stale allowed) and an expiry after t has days to expiry `T_i` and annualised basis
/// `B_i = (F_i / S - 1) * 365 / T_i`. The held contract (the roll rule) gives `basis`
/// (`F / S - 1`), `basis_annual` and `days_to_expiry`; `roll_yield` is the annualised carry of
/// rolling from it into the next later expiry with a close, `(F_1 / F_2 - 1) * 365 / (T_2 - T_1)`
/// (positive in backwardation); `basis_cm{tau}` is Coin Metrics' constant-maturity basis:
/// with `T_1` the largest `T_i <= tau` and `T_2` the smallest `T_i >= tau`, the forward yield
/// `f = (B_2 T_2 - B_1 T_1) / (T_2 - T_1)` and `(B_1 T_1 + f (tau - T_1)) / tau` (`B_1` when
/// `T_1 = T_2`), missing without a contract on both sides. Each value at t uses closes known
/// at t only.
enum FuturesFeatures {
    /// The feature names for `tenors`, in column order.
    static func names(tenors: [Int]) -> [String] {
        ["basis", "basis_annual", "days_to_expiry", "roll_yield"] + tenors.map { "basis_cm\($0)" }
    }

    /// One column per `names(tenors:)`, over `dates`.
    static func compute(chain: FuturesChain, spot: (Int) -> Double?, dates: ArraySlice<Timestamp>, tenors: [Int]) -> [[Double]] {
        var columns = [[Double]](repeating: [Double](repeating: .nan, count: dates.count), count: 4 + tenors.count)
        var firstLive = 0
        for row in dates.indices {
            guard let s = spot(row) else { continue }
            let date = dates[row]
            while firstLive < chain.contracts.count && chain.contracts[firstLive].expiry <= date { firstLive += 1 }
            var curve: [(days: Double, close: Double)] = []
            for contract in chain.contracts[firstLive...] {
                guard let close = contract.close(atRow: row) else { continue }
                curve.append((FuturesChain.daysToExpiry(contract, from: date), close))
            }
            func annual(_ point: (days: Double, close: Double)) -> Double { (point.close / s - 1) * 365 / point.days }
            if let held = chain.heldContract(atRow: row), let close = held.close(atRow: row) {
                let days = FuturesChain.daysToExpiry(held, from: date)
                columns[0][row] = close / s - 1
                columns[1][row] = annual((days, close))
                columns[2][row] = days
                if let next = curve.first(where: { $0.days > days }) {
                    columns[3][row] = (close / next.close - 1) * 365 / (next.days - days)
                }
            }
            for (k, tenor) in tenors.enumerated() {
                let tau = Double(tenor)
                guard let near = curve.last(where: { $0.days <= tau }), let far = curve.first(where: { $0.days >= tau }) else {
                    continue
                }
                let (b1, b2) = (annual(near), annual(far))
                if far.days == near.days {
                    columns[4 + k][row] = b1
                } else {
                    let forward = (b2 * far.days - b1 * near.days) / (far.days - near.days)
                    columns[4 + k][row] = (b1 * near.days + forward * (tau - near.days)) / tau
                }
            }
        }
        return columns
    }
}
