import Foundation
import Market

/// Stress scenarios and the portfolio loss under each (a loss is a positive fraction).
package struct StressResult: Sendable, Equatable {
    /// What kind of scenario.
    package enum Kind: String, Sendable {
        /// A window of the data replayed.
        case historical
        /// A hypothetical shock.
        case hypothetical
    }

    /// A readable name (`worst 5-period window`, `BTC -30%`).
    package let name: String
    package let kind: Kind
    /// The replayed dates, for historical scenarios.
    package let from: String?
    package let to: String?
    /// The portfolio loss.
    package let loss: Double
}

/// Historical replays and hypothetical shocks of fixed weights.
package enum StressTest {
    /// The worst compounded h-period return of the constant-mix portfolio, for each h in
    /// `horizons`, over all rows up to `row` where every weighted asset has a price.
    package static func worstWindows(
        _ dataset: Dataset, assets: [Int], weights: [Double], endingAt row: Int, horizons: [Int]
    ) -> [StressResult] {
        let start = assets.map { dataset.firstRows[$0] }.max() ?? 0
        guard row > start else { return [] }
        let returns = ((start + 1)...row).map { t in
            zip(assets, weights).reduce(0.0) { total, pair in
                total + pair.1 * (dataset.price(row: t, asset: pair.0)! / dataset.price(row: t - 1, asset: pair.0)! - 1)
            }
        }
        return horizons.compactMap { h in
            guard returns.count >= h else { return nil }
            var worst = (value: Double.infinity, first: 0)
            for first in 0...(returns.count - h) {
                let compounded = returns[first..<(first + h)].reduce(1) { $0 * (1 + $1) } - 1
                if compounded < worst.value { worst = (compounded, first) }
            }
            // Return index i is the move into row start + 1 + i.
            return StressResult(
                name: "worst \(h)-period window", kind: .historical,
                from: dataset.dates[start + worst.first].description, to: dataset.dates[start + worst.first + h].description,
                loss: -worst.value)
        }
    }

    /// The compounded portfolio loss from the close of `from` to the close of `to`.
    /// - Returns: nil when a weighted asset has no price on a row of the range.
    package static func replay(
        _ dataset: Dataset, assets: [Int], weights: [Double], name: String, fromRow: Int, toRow: Int
    ) -> StressResult? {
        guard fromRow < toRow else { return nil }
        var wealth = 1.0
        for t in (fromRow + 1)...toRow {
            var r = 0.0
            for (asset, weight) in zip(assets, weights) {
                guard let now = dataset.price(row: t, asset: asset), let before = dataset.price(row: t - 1, asset: asset) else {
                    return nil
                }
                r += weight * (now / before - 1)
            }
            wealth *= 1 + r
        }
        return StressResult(
            name: name, kind: .historical, from: dataset.dates[fromRow].description, to: dataset.dates[toRow].description,
            loss: 1 - wealth)
    }

    /// Asset `shocked` moves by `move` (e.g. -0.3) and every other asset by its beta to it
    /// times `move` (betas from `covariance`); the loss is `-sum_j w_j move_j`.
    package static func assetShock(
        names: [String], weights: [Double], covariance: CovarianceEstimate, shocked: Int, move: Double
    ) -> StressResult {
        let m = covariance.order
        let variance = covariance.matrix[shocked * m + shocked]
        var loss = 0.0
        for j in 0..<m {
            let beta = variance > 0 ? covariance.matrix[j * m + shocked] / variance : (j == shocked ? 1 : 0)
            loss -= weights[j] * beta * move
        }
        let percent = (move * 100).rounded() == move * 100 ? String(Int(move * 100)) : String(move * 100)
        return StressResult(
            name: "\(names[shocked]) \(percent)% (others by beta)", kind: .hypothetical, from: nil, to: nil, loss: loss)
    }

    /// Gaussian one-period VaR at `confidence` (zero mean) under a stressed covariance:
    /// correlations pushed toward one by `towardOne` (1 = all equal to one), volatilities
    /// multiplied by `volatilityMultiplier`.
    package static func stressedGaussianLoss(
        name: String, weights: [Double], covariance: CovarianceEstimate, towardOne: Double, volatilityMultiplier: Double,
        confidence: Double
    ) -> StressResult {
        let m = covariance.order
        let sd = (0..<m).map { covariance.matrix[$0 * m + $0].squareRoot() }
        var variance = 0.0
        for i in 0..<m {
            for j in 0..<m {
                let rho = i == j ? 1 : (sd[i] > 0 && sd[j] > 0 ? covariance.matrix[i * m + j] / (sd[i] * sd[j]) : 0)
                let stressed = i == j ? 1 : (1 - towardOne) * rho + towardOne
                variance += weights[i] * weights[j] * stressed * sd[i] * sd[j] * volatilityMultiplier * volatilityMultiplier
            }
        }
        let z = NormalDistribution.quantile(1 - confidence)
        return StressResult(name: name, kind: .hypothetical, from: nil, to: nil, loss: -(variance.squareRoot() * z))
    }
}

extension StressTest {
    /// The annualised basis of the backwardation shock.
    package static let backwardationShock = -0.2

    /// Basis scenarios for the assets held through futures at `row`, spot unchanged: the
    /// basis collapses to zero (each held contract's price moves to the spot close), and the
    /// basis jumps to `backwardationShock` annualised (`F' = S (1 + b T / 365)`). Per unit of
    /// weight a linear contract moving from `F` to `F'` earns `F'/F - 1`, an inverse one
    /// `(1/F - 1/F') S` with `S` the unchanged spot (contract section 7); the loss is minus the
    /// weighted sum.
    /// - Returns: empty when no held asset is held through futures.
    package static func basisShocks(_ dataset: Dataset, assets: [Int], weights: [Double], row: Int) -> [StressResult] {
        var positions: [(weight: Double, contract: FuturesContract, close: Double, spot: Double, days: Double)] = []
        for (asset, weight) in zip(assets, weights) where dataset.instrument(of: asset, atRow: row) == .future {
            guard let contract = dataset.futuresChain(of: dataset.assets[asset])?.heldContract(atRow: row),
                let close = contract.close(atRow: row), let spot = dataset.spotClose(row: row, asset: asset)
            else { continue }
            positions.append((weight, contract, close, spot, FuturesChain.daysToExpiry(contract, from: dataset.dates[row])))
        }
        guard !positions.isEmpty else { return [] }
        func loss(_ shocked: (Double, Double, Double) -> Double) -> Double {
            positions.reduce(0) { total, p in
                let after = shocked(p.close, p.spot, p.days)
                let change =
                    switch p.contract.settlement {
                    case .linear: after / p.close - 1
                    case .inverse: (1 / p.close - 1 / after) * p.spot
                    }
                return total - p.weight * change
            }
        }
        let percent = Int((backwardationShock * 100).rounded())
        return [
            StressResult(name: "futures basis to 0", kind: .hypothetical, from: nil, to: nil, loss: loss { _, spot, _ in spot }),
            StressResult(
                name: "futures basis to \(percent)% a year (backwardation)", kind: .hypothetical, from: nil, to: nil,
                loss: loss { _, spot, days in spot * (1 + backwardationShock * days / 365) }),
        ]
    }
}
