import Support
import Foundation

/// The per-asset features of one asset, column by column (`docs/features.md`).
enum AssetFeatures {
    /// One column per `spec.assetFeatureNames`, `nan` where missing.
    /// - Parameter windowedRows: the rows where the windowed features (volatility, drawdown,
    ///   correlation, beta, funding means) are computed; `nan` elsewhere. The others cost one
    ///   step a row (or are recursions) and are computed at every row.
    static func compute(
        logPrices: [Double], returns: [Double], market: [Double], funding: [Double]?, spec: FeatureSpec,
        windowedRows: ClosedRange<Int>
    ) -> [[Double]] {
        let t = logPrices.count
        let rows = 0..<t
        func lag(_ values: [Double], _ row: Int, _ by: Int) -> Double { row - by >= 0 ? values[row - by] : .nan }
        func windowed(_ value: (Int) -> Double) -> [Double] { rows.map { windowedRows.contains($0) ? value($0) : .nan } }
        var columns: [[Double]] = spec.horizons.map { h in rows.map { logPrices[$0] - lag(logPrices, $0, h) } }
        columns.append(
            windowed { row in
                WindowStatistics.window(returns, end: row, count: spec.volatilityWindow).map(
                    Statistics.standardDeviation) ?? .nan
            })
        columns.append(ewmaVolatility(returns, lambda: spec.ewmaLambda))
        columns.append(rows.map { lag(logPrices, $0, spec.momentumSkip) - lag(logPrices, $0, spec.momentumLookback) })
        columns.append(
            windowed { row in
                guard let window = WindowStatistics.window(logPrices, end: row, count: spec.drawdownWindow) else { return .nan }
                return 1 - Foundation.exp(logPrices[row] - window.max()!)
            })
        var correlation: [Double] = []
        var beta: [Double] = []
        for row in rows {
            guard windowedRows.contains(row), let r = WindowStatistics.window(returns, end: row, count: spec.correlationWindow),
                let m = WindowStatistics.window(market, end: row, count: spec.correlationWindow)
            else {
                correlation.append(.nan)
                beta.append(.nan)
                continue
            }
            let moments = WindowStatistics.moments(r, m)
            correlation.append(
                moments.varianceX > 0 && moments.varianceY > 0
                    ? moments.covariance / (moments.varianceX * moments.varianceY).squareRoot() : .nan)
            beta.append(moments.varianceY > 0 ? moments.covariance / moments.varianceY : .nan)
        }
        columns += [correlation, beta]
        let fundingMeans: [[Double]] = spec.fundingWindows.map { window in
            windowed { row in
                guard let funding, WindowStatistics.window(logPrices, end: row, count: window) != nil else { return .nan }
                return Statistics.mean(funding[(row - window + 1)...row])
            }
        }
        columns += fundingMeans
        if fundingMeans.count >= 2 { columns.append(rows.map { fundingMeans[0][$0] - fundingMeans[fundingMeans.count - 1][$0] }) }
        return columns
    }

    /// pandas' `(r**2).ewm(alpha=1-lambda, adjust=False).mean() ** 0.5` from the first return.
    static func ewmaVolatility(_ returns: [Double], lambda: Double) -> [Double] {
        var variance = Double.nan
        return returns.map { r in
            guard !r.isNaN else { return .nan }
            variance = variance.isNaN ? r * r : lambda * variance + (1 - lambda) * r * r
            return variance.squareRoot()
        }
    }
}
