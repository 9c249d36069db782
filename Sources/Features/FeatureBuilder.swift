import Foundation
import Market

/// Computes the features of `docs/features.md` from a dataset. Every value at row `t` is a
/// function of rows `0...t` only (and exogenous observations dated on or before row `t`), so
/// features of `dataset.truncated(throughRow: t)` equal those of the full dataset at `t`
/// (a test checks it by rewriting the future).
package enum FeatureBuilder {
    /// All features of `spec` for every row of `dataset`.
    /// - Parameter rows: when given, the features that are statistics of a trailing window
    ///   (volatilities, drawdown, correlations, beta, funding means) are computed at these
    ///   rows only and are `nan` elsewhere; the rest (returns, lags, the EWMA recursion,
    ///   `mkt_ret`, `dispersion`, exogenous and futures columns) at every row. The daily job
    ///   reads one row's features and the regime filter's whole history of `mkt_ret` and
    ///   `dispersion`, so it passes its row: each value computed is bit-identical to the
    ///   full computation's (tested).
    /// - Precondition: `spec.problems` is empty.
    package static func compute(_ dataset: Dataset, spec: FeatureSpec = FeatureSpec(), rows: ClosedRange<Int>? = nil)
        -> FeatureTable
    {
        precondition(spec.problems.isEmpty, "FeatureBuilder: invalid specification: \(spec.problems.joined(separator: "; "))")
        let (t, n) = (dataset.rowCount, dataset.assets.count)
        let windowedRows = rows ?? 0...max(t - 1, 0)
        let logPrices = (0..<n).map { asset in
            (0..<t).map { row in dataset.price(row: row, asset: asset).map(Foundation.log) ?? .nan }
        }
        let returns = logPrices.map { column in (0..<t).map { row in row == 0 ? .nan : column[row] - column[row - 1] } }
        let market = marketIndex(dataset)
        let exogenous = dataset.exogenous.filter { spec.exogenous?.contains($0.name) ?? true }
        let assetNames = spec.assetFeatureNames
        let marketNames = spec.marketFeatureNames + exogenous.flatMap { [$0.name, "\($0.name)_age"] }
        var table = FeatureTable(
            dates: Array(dataset.dates), assets: dataset.assets, assetFeatures: assetNames, marketFeatures: marketNames,
            assetValues: Array(repeating: .nan, count: t * n * assetNames.count),
            marketValues: Array(repeating: .nan, count: t * marketNames.count))
        for asset in 0..<n {
            let funding = dataset.funding.first { $0.asset == dataset.assets[asset] }
            var columns = AssetFeatures.compute(
                logPrices: logPrices[asset], returns: returns[asset], market: market, funding: funding.map { Array($0.rates) },
                spec: spec, windowedRows: windowedRows)
            if let tenors = spec.basisTenors {
                if let chain = dataset.futuresChain(of: dataset.assets[asset]) {
                    columns += FuturesFeatures.compute(
                        chain: chain, spot: { dataset.spotClose(row: $0, asset: asset) }, dates: dataset.dates, tenors: tenors)
                } else {
                    columns += FuturesFeatures.names(tenors: tenors).map { _ in [Double](repeating: .nan, count: t) }
                }
            }
            for (feature, column) in columns.enumerated() {
                for row in 0..<t { table.assetValues[(row * n + asset) * assetNames.count + feature] = column[row] }
            }
        }
        let marketColumns =
            MarketFeatures.compute(returns: returns, market: market, spec: spec, windowedRows: windowedRows)
            + exogenous.flatMap { MarketFeatures.asOf($0, dates: Array(dataset.dates)) }
        for (feature, column) in marketColumns.enumerated() {
            for row in 0..<t { table.marketValues[row * marketNames.count + feature] = column[row] }
        }
        return table
    }

    /// `m[t] = ln(mean_i p[i,t] / p[i,t-1])` over the assets priced at both rows.
    static func marketIndex(_ dataset: Dataset) -> [Double] {
        (0..<dataset.rowCount).map { row in
            guard row > 0 else { return .nan }
            var total = 0.0
            var count = 0
            for asset in 0..<dataset.assets.count {
                if let now = dataset.price(row: row, asset: asset), let before = dataset.price(row: row - 1, asset: asset) {
                    total += now / before
                    count += 1
                }
            }
            return count > 0 ? Foundation.log(total / Double(count)) : .nan
        }
    }
}
