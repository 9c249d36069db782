/// How an asset's exposure is held over a period.
package enum Instrument: String, Sendable, CaseIterable {
    /// The asset itself: earns the close-to-close return, pays nothing.
    case spot
    /// Its perpetual swap: the spot return, minus the funding rate.
    case perp
    /// Its rolled front futures contract: the contract's return (contract section 7).
    case future
}

/// `instrument: auto` (contract section 7): at each decision, hold an asset through whichever
/// of spot, perp and rolled future had the cheapest trailing carry, switching only when the
/// carry saved pays for the switch.
///
/// Carry at decision row t, annualised, as a cost to a long position: spot 0; perp the mean
/// funding rate over the last `window` rows since the first recorded rate, times the periods
/// per year; future the mean of the held contract's annualised basis
/// `(F / S - 1) * 365 / days_to_expiry` over the `window` rows *before* t. The basis of row t
/// itself is left out: where the exchange closes before the spot close (CME at 16:00 Chicago,
/// `prices.csv` at 00:00 UTC) one day's basis is mostly the move between the two closes, which
/// the next day's futures return gives back (on the real data the correlation of a day's basis
/// with the next day's futures-minus-spot return is -0.58 for BTC, -0.63 for ETH), so choosing
/// on it would harvest a gap no one can trade. The future is available at t when a contract is
/// held at t and at the row before, the perp from its first recorded rate. The cheapest available
/// one (ties: the one held, then spot, perp, future) replaces the one held only when
/// `(carry_held - carry_cheapest) * window / periods_per_year`, the carry saved over the
/// next `window` periods per unit of weight, exceeds `2 * fee`, the cost of selling one
/// instrument and buying the other; an instrument that is no longer available is always
/// replaced. Everything at t uses data through t only, and the choice does not depend on the
/// weights, so it is fixed by the data alone and the same in every backtest and the daily job.
enum InstrumentChoice {
    /// The instrument held from a decision at each row, nil before the asset lists.
    /// - Parameters:
    ///   - spot: the asset's close at a row, nil before it lists.
    ///   - funding: its funding rates per row and the first row with a recorded rate, if any.
    ///   - chain: its futures chain, if any.
    ///   - fee: the fee per unit of traded weight (`fee_bps / 10^4`).
    static func choose(
        rows: Int, spot: (Int) -> Double?, funding: (rates: ArraySlice<Double>, firstRow: Int)?, chain: FuturesChain?,
        dates: ArraySlice<Timestamp>, periodsPerYear: Double, window: Int, fee: Double
    ) -> [Instrument?] {
        var choices = [Instrument?](repeating: nil, count: rows)
        var fundingSum = 0.0
        var basisWindow: [Double] = []
        var held: Instrument?
        for row in 0..<rows {
            if let funding, row >= funding.firstRow {
                fundingSum += funding.rates[row]
                if row - window >= funding.firstRow { fundingSum -= funding.rates[row - window] }
            }
            guard let s = spot(row) else { continue }
            var carry: [Instrument: Double] = [.spot: 0]
            if let funding, row >= funding.firstRow {
                let count = Swift.min(window, row - funding.firstRow + 1)
                carry[.perp] = fundingSum / Double(count) * periodsPerYear
            }
            if let contract = chain?.heldContract(atRow: row), let close = contract.close(atRow: row) {
                if !basisWindow.isEmpty { carry[.future] = basisWindow.reduce(0, +) / Double(basisWindow.count) }
                basisWindow.append((close / s - 1) * 365 / FuturesChain.daysToExpiry(contract, from: dates[row]))
                if basisWindow.count > window { basisWindow.removeFirst() }
            } else {
                basisWindow.removeAll()
            }
            let order = (held.map { [$0] } ?? []) + Instrument.allCases
            let cheapest = order.filter { carry[$0] != nil }.min { carry[$0]! < carry[$1]! }!
            if let current = held, let currentCarry = carry[current] {
                let saved = (currentCarry - carry[cheapest]!) * Double(window) / periodsPerYear
                if saved > 2 * fee { held = cheapest }
            } else {
                held = cheapest
            }
            choices[row] = held
        }
        return choices
    }
}
