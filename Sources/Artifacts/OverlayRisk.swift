import Market
import Options
import Risk
import Support

/// Full revaluation of a portfolio with an options overlay (contract section 7, `regimen
/// risk`): every option is repriced from the moved spot and volatility index (never a delta
/// approximation), the risky weights move with the underlying by their beta to it.
package struct OverlayRisk: Codable, Sendable, Equatable {
    /// One revaluation: a spot move (fraction), a volatility move (points), the loss.
    package struct Scenario: Codable, Sendable, Equatable {
        package var name: String?
        package var spotMove: Double
        package var volPoints: Double
        package var loss: Double

        enum CodingKeys: String, CodingKey {
            case name, loss
            case spotMove = "spot_move"
            case volPoints = "vol_points"
        }
    }

    /// The overlay's Greeks (fractions of NAV) at the as-of date.
    package var greeks: WeightsFile.Greeks
    /// The grid: spot moves x volatility moves.
    package var grid: [Scenario]
    /// The named scenarios (`--scenario NAME=SPOT_MOVE:VOL_POINTS`).
    package var scenarios: [Scenario]
    /// Historical VaR and ES of the whole portfolio over the window's days, each day
    /// revalued in full (the underlying's return and the index's change that day).
    package var valueAtRisk: Double?
    package var expectedShortfall: Double?

    enum CodingKeys: String, CodingKey {
        case greeks, grid, scenarios
        case valueAtRisk = "var_full_revaluation"
        case expectedShortfall = "es_full_revaluation"
    }

    /// The spot moves of the grid.
    package static let spotMoves = [-0.5, -0.3, -0.2, -0.1, -0.05, 0, 0.05, 0.1, 0.2, 0.5]
    /// The volatility moves of the grid, in points.
    package static let volatilityMoves = [-20.0, 0, 20, 60]

    /// The loss of the portfolio when the underlying moves by `spotMove` and its volatility
    /// index by `volPoints`: `-(sum_j w_j beta_j m + sum_k q_k (V_k(moved) - V_k))`.
    static func loss(
        weights: [Double], betas: [Double], positions: [OverlayPosition], market: OptionMarket, spotMove: Double,
        volPoints: Double
    ) -> Double {
        let moved = market.shocked(spotMove: spotMove, volatilityPoints: volPoints)
        let risky = zip(weights, betas).reduce(0.0) { $0 + $1.0 * $1.1 * spotMove }
        let options = OverlayGreeks(positions, on: moved).value - OverlayGreeks(positions, on: market).value
        return -(risky + options)
    }

    /// The overlay risk of `weights` (per dataset asset) and `positions` at `row`.
    /// - Parameters:
    ///   - window: returns of the historical revaluation (and of the betas).
    /// - Returns: nil when the overlay's options cannot be priced at `row`.
    static func make(
        dataset: Dataset, row: Int, weights: [Double], positions: [OverlayPosition], window: Int, confidence: Double,
        scenarios: [(name: String, spotMove: Double, volPoints: Double)]
    ) -> OverlayRisk? {
        guard let asset = positions.first.flatMap({ dataset.assets.firstIndex(of: $0.asset) }),
            let account = OverlayAccount(OverlaySpec(structure: .protectivePut, asset: dataset.assets[asset]), dataset: dataset),
            let market = account.market(dataset, row: row)
        else { return nil }
        // Betas of each held asset to the underlying over the window (1 for the underlying).
        let first = Swift.max(1, row - window + 1)
        func returns(_ a: Int) -> [Double]? {
            let values = (first...row).compactMap { dataset.simpleReturn(row: $0, asset: a) }
            return values.count == row - first + 1 ? values : nil
        }
        let underlying = returns(asset)
        let betas = weights.indices.map { a -> Double in
            guard a != asset, weights[a] != 0, let u = underlying, let r = returns(a) else { return a == asset ? 1 : 0 }
            let moments = Statistics.jointMoments(r[...], u[...])
            return moments.yy > 0 ? moments.xy / moments.yy : 0
        }
        let greeks = OverlayGreeks(positions, on: market)
        let grid = spotMoves.flatMap { m in
            volatilityMoves.map { v in
                Scenario(
                    name: nil, spotMove: m, volPoints: v,
                    loss: loss(weights: weights, betas: betas, positions: positions, market: market, spotMove: m, volPoints: v))
            }
        }
        let named = scenarios.map { s in
            Scenario(
                name: s.name, spotMove: s.spotMove, volPoints: s.volPoints,
                loss: loss(
                    weights: weights, betas: betas, positions: positions, market: market, spotMove: s.spotMove,
                    volPoints: s.volPoints))
        }
        // Historical full revaluation: each day of the window, today's book repriced with
        // that day's move of the underlying and of its volatility index.
        var pnl: [Double] = []
        for t in first...row {
            guard let before = account.market(dataset, row: t - 1), let after = account.market(dataset, row: t) else { continue }
            let spotMove = after.spot / before.spot - 1
            let volPoints = (after.atm30 - before.atm30) * 100
            let risky = weights.indices.reduce(0.0) { $0 + weights[$1] * (dataset.simpleReturn(row: t, asset: $1) ?? 0) }
            let moved = market.shocked(spotMove: spotMove, volatilityPoints: volPoints)
            pnl.append(risky + OverlayGreeks(positions, on: moved).value - greeks.value)
        }
        let tail = pnl.count >= 2 ? TailRisk(returns: pnl, confidence: confidence) : nil
        return OverlayRisk(
            greeks: WeightsFile.Greeks(
                delta: [dataset.assets[asset]: greeks.delta], gamma: greeks.gamma, vega: greeks.vega, theta: greeks.theta,
                value: greeks.value),
            grid: grid, scenarios: named, valueAtRisk: tail?.historicalVaR, expectedShortfall: tail?.historicalES)
    }
}
