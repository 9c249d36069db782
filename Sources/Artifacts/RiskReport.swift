import Foundation
import Market
import Options
import Risk
import Support

/// Builds the risk file of fixed weights on a dataset (`regimen risk`).
package enum RiskReport {
    /// What the user asked for.
    package struct Request: Sendable {
        package var weights: [String: Double]
        package var asOfRow: Int
        package var window = 90
        package var confidence = 0.99
        package var horizon = 1
        package var estimator = CovarianceEstimator.sample
        /// User-named historical windows: name, first row, last row.
        package var ranges: [(name: String, from: Int, to: Int)] = []
        /// Hypothetical single-asset moves (asset name, move such as -0.3); empty for the
        /// default (the largest risky weight down 30%).
        package var shocks: [(asset: String, move: Double)] = []
        /// The options overlay held with the weights (its value is part of the NAV).
        package var overlay: [OverlayPosition] = []
        /// Named full-revaluation scenarios: name, spot move (fraction), volatility move (points).
        package var scenarios: [(name: String, spotMove: Double, volPoints: Double)] = []

        package init(weights: [String: Double], asOfRow: Int) {
            self.weights = weights
            self.asOfRow = asOfRow
        }
    }

    /// Why the report cannot be made; `description` says what to change.
    package struct Failure: ReportableError {
        package let description: String
        /// The weights and data do not make a report: bad data (65).
        package var exitStatus: Int32 { ExitStatus.badData }
    }

    /// The option market of the overlay's asset at the as-of row.
    static func overlayMarket(_ dataset: Dataset, _ request: Request) -> OptionMarket? {
        guard let asset = request.overlay.first?.asset, dataset.assets.contains(asset),
            let account = OverlayAccount(OverlaySpec(structure: .protectivePut, asset: asset), dataset: dataset)
        else { return nil }
        return account.market(dataset, row: request.asOfRow)
    }

    /// The risk file for `request`.
    /// - Throws: `Failure` for weights that do not sum to 1, unknown assets, a window that
    ///   does not fit, or a shocked asset that is not held.
    package static func make(_ dataset: Dataset, _ request: Request) throws(Failure) -> RiskFile {
        try checkWeights(dataset, request)
        let held = dataset.assets.indices.filter { (request.weights[dataset.assets[$0]] ?? 0) != 0 }
        let window: WindowReturns
        do {
            window = try WindowReturns(dataset, assets: held, endingAt: request.asOfRow, window: request.window)
        } catch {
            throw Failure(description: "\(error)")
        }
        let weights = held.map { request.weights[dataset.assets[$0]]! }
        let portfolio = window.portfolioReturns(weights)
        guard request.horizon >= 1, portfolio.count >= request.horizon + 1 else {
            throw Failure(
                description: "a horizon of \(request.horizon) periods needs a window of at least \(request.horizon + 1) returns")
        }
        let tail = TailRisk(returns: portfolio, confidence: request.confidence, horizon: request.horizon)
        let (estimate, covarianceNames) = covariance(dataset, request, held: held, heldWindow: window)
        var warnings = estimate.warning.map { [$0] } ?? []
        let stress = try stressResults(
            dataset, request, held: held, weights: weights, covariance: CovarianceEstimator.sample.estimate(window.returns),
            warnings: &warnings)
        let m = estimate.order
        var file = RiskFile(
            asOf: dataset.dates[request.asOfRow].description, window: request.window, horizon: request.horizon,
            confidence: request.confidence,
            valueAtRisk: .init(historical: tail.historicalVaR, gaussian: tail.gaussianVaR, cornishFisher: tail.cornishFisherVaR),
            expectedShortfall: .init(historical: tail.historicalES, gaussian: tail.gaussianES),
            volAnnual: Statistics.standardDeviation(portfolio) * dataset.periodsPerYear.squareRoot(),
            covariance: .init(
                estimator: request.estimator.rawValue, assets: covarianceNames,
                matrix: (0..<m).map { Array(estimate.matrix[($0 * m)..<(($0 + 1) * m)]) },
                conditionNumber: estimate.conditionNumber),
            stress: stress.map { .init(name: $0.name, kind: $0.kind.rawValue, from: $0.from, to: $0.to, loss: $0.loss) },
            warnings: warnings)
        if !request.overlay.isEmpty {
            file.overlay = OverlayRisk.make(
                dataset: dataset, row: request.asOfRow,
                weights: dataset.assets.map { request.weights[$0] ?? 0 }, positions: request.overlay, window: request.window,
                confidence: request.confidence, scenarios: request.scenarios)
        }
        return file
    }

    /// Refuses weights that do not sum to 1 (the overlay's value included), an overlay that
    /// cannot be priced at the date, and a name that is neither an asset nor the cash line.
    private static func checkWeights(_ dataset: Dataset, _ request: Request) throws(Failure) {
        let cash = dataset.config.cash
        let optionsValue =
            request.overlay.isEmpty
            ? 0 : (overlayMarket(dataset, request).map { OverlayGreeks(request.overlay, on: $0).value } ?? 0)
        let total = request.weights.values.reduce(0, +) + optionsValue
        guard Swift.abs(total - 1) <= 1e-6 else {
            throw Failure(
                description:
                    "weights sum to \(total), not 1 (the cash line \(cash)\(request.overlay.isEmpty ? "" : " and the overlay's value") included)"
            )
        }
        if !request.overlay.isEmpty, overlayMarket(dataset, request) == nil {
            throw Failure(
                description:
                    "the overlay on \(request.overlay[0].asset) cannot be priced at \(dataset.dates[request.asOfRow]): dataset.yaml names no implied_vol column for it, or it has no observation yet"
            )
        }
        for name in request.weights.keys.sorted() where name != cash && !dataset.assets.contains(name) {
            throw Failure(
                description: "weights name '\(name)', which is neither an asset of prices.csv nor the cash line \(cash)")
        }
    }

    /// The covariance the report shows and the names of its rows: the estimator's, over every
    /// asset the weights name that is held or was listed for the whole window (over the held
    /// assets' window when that one cannot be made).
    private static func covariance(_ dataset: Dataset, _ request: Request, held: [Int], heldWindow: WindowReturns)
        -> (CovarianceEstimate, [String])
    {
        let covarianceAssets = dataset.assets.indices.filter { index in
            request.weights[dataset.assets[index]] != nil
                && (held.contains(index) || dataset.firstRows[index] <= request.asOfRow - request.window)
        }
        let covarianceWindow = try? WindowReturns(
            dataset, assets: covarianceAssets, endingAt: request.asOfRow, window: request.window)
        let estimate = request.estimator.estimate(covarianceWindow?.returns ?? heldWindow.returns)
        return (estimate, (covarianceWindow?.assets ?? held).map { dataset.assets[$0] })
    }

    /// The stress table: the worst windows, the requested ranges (a range a held asset lacks
    /// prices on is skipped with a warning), basis shocks, the asset shocks (by default the
    /// largest non-cash holding down 30%) and two Gaussian stresses of `covariance`, the
    /// held assets' sample covariance.
    private static func stressResults(
        _ dataset: Dataset, _ request: Request, held: [Int], weights: [Double], covariance: CovarianceEstimate,
        warnings: inout [String]
    ) throws(Failure) -> [StressResult] {
        var stress = StressTest.worstWindows(
            dataset, assets: held, weights: weights, endingAt: request.asOfRow, horizons: [1, 5, 20])
        for range in request.ranges {
            if let result = StressTest.replay(
                dataset, assets: held, weights: weights, name: range.name, fromRow: range.from, toRow: range.to)
            {
                stress.append(result)
            } else {
                warnings.append("stress range \(range.name): a held asset has no price on every row of it; skipped")
            }
        }
        stress += StressTest.basisShocks(dataset, assets: held, weights: weights, row: request.asOfRow)
        let cash = dataset.config.cash
        let shocks =
            request.shocks.isEmpty
            ? held.indices.filter { dataset.assets[held[$0]] != cash }.max { weights[$0] < weights[$1] }.map {
                [(dataset.assets[held[$0]], -0.3)]
            } ?? []
            : request.shocks
        for (asset, move) in shocks {
            guard let position = held.firstIndex(where: { dataset.assets[$0] == asset }) else {
                throw Failure(description: "--shock names \(asset), which the weights do not hold")
            }
            stress.append(
                StressTest.assetShock(
                    names: held.map { dataset.assets[$0] }, weights: weights, covariance: covariance, shocked: position,
                    move: move))
        }
        for (name, towardOne, multiplier) in [
            ("all correlations 1 (Gaussian VaR)", 1.0, 1.0), ("volatility x2 (Gaussian VaR)", 0, 2),
        ] {
            stress.append(
                StressTest.stressedGaussianLoss(
                    name: name, weights: weights, covariance: covariance, towardOne: towardOne,
                    volatilityMultiplier: multiplier, confidence: request.confidence))
        }
        return stress
    }
}
