import Market
import Support

/// The trailing window a portfolio's risk is measured on: the simple returns of every asset
/// over the `window` periods ending at a row (nothing after it). The weights file's `risk`
/// and `limits.measured`, the limit enforcer and `regimen risk` all measure through it, so a
/// figure checked against a limit is the figure a person can recompute.
///
/// An asset takes part only with a return on every row of the window; weights on an asset
/// without one cannot be measured (`returns(of:)` is nil). Cash earns 0.
package struct PortfolioRiskWindow: Sendable {
    /// `columns[asset]`: the asset's `window` returns, oldest first; nil without a full window.
    package let columns: [[Double]?]
    /// Returns in the window.
    package let window: Int
    /// To annualise volatility.
    package let periodsPerYear: Double

    /// The window of `window` returns ending at `row` of `dataset`.
    /// - Precondition: `window >= 2`.
    package init(_ dataset: Dataset, endingAt row: Int, window: Int) {
        precondition(window >= 2, "PortfolioRiskWindow: the window must hold at least 2 returns, got \(window)")
        self.window = window
        periodsPerYear = dataset.periodsPerYear
        columns = dataset.assets.indices.map { asset in
            guard row - window >= 0 else { return nil }
            var column: [Double] = []
            column.reserveCapacity(window)
            for t in (row - window + 1)...row {
                guard let r = dataset.simpleReturn(row: t, asset: asset) else { return nil }
                column.append(r)
            }
            return column
        }
    }

    /// A window of given returns: `columns[asset]` oldest first, each `window` long, or nil.
    /// - Precondition: every column has the same length, at least 2.
    package init(columns: [[Double]?], periodsPerYear: Double) {
        let lengths = Set(columns.compactMap { $0?.count })
        precondition(
            lengths.count <= 1 && (lengths.first ?? 2) >= 2,
            "PortfolioRiskWindow: columns of unequal or too short lengths \(lengths)")
        self.columns = columns
        self.window = lengths.first ?? 2
        self.periodsPerYear = periodsPerYear
    }

    /// Whether every asset held (non-zero weight) has a full window.
    package func canMeasure(_ weights: [Double]) -> Bool {
        weights.indices.allSatisfy { weights[$0] == 0 || columns[$0] != nil }
    }

    /// `sum_i w_i r_t,i` per row, over the held assets in column order (the constant mix);
    /// nil when a held asset has no full window. All-cash weights give zeros.
    package func returns(of weights: [Double]) -> [Double]? {
        precondition(weights.count == columns.count, "PortfolioRiskWindow: \(weights.count) weights for \(columns.count) assets")
        var portfolio = [Double](repeating: 0, count: window)
        for asset in weights.indices where weights[asset] != 0 {
            guard let column = columns[asset] else { return nil }
            for t in 0..<window { portfolio[t] += weights[asset] * column[t] }
        }
        return portfolio
    }

    /// `sd(r) sqrt(P)` of the portfolio's window returns (n - 1), as `regimen risk` reports it.
    package func annualVolatility(of weights: [Double]) -> Double? {
        returns(of: weights).map { Statistics.standardDeviation($0) * periodsPerYear.squareRoot() }
    }

    /// The historical expected shortfall at `confidence` of the portfolio's window returns.
    package func expectedShortfall(of weights: [Double], confidence: Double) -> Double? {
        returns(of: weights).map { TailRisk.historicalExpectedShortfall($0, confidence: confidence) }
    }
}
