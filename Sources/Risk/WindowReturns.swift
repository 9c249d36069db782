import Market
import Support

/// Simple returns of a set of assets over the `window` periods ending at a row: the
/// returns a risk figure or an allocation at that row may use (nothing after it).
package struct WindowReturns: Sendable {
    /// The assets (dataset column indices) in dataset column order.
    package let assets: [Int]
    /// `returns[t][k]`, oldest first: `window` rows, one column per asset.
    package let returns: [[Double]]

    /// Why a window cannot be formed: the data do not hold it (65).
    package enum Failure: ReportableError, Equatable {
        /// Fewer than `window + 1` rows up to the as-of row.
        case notEnoughHistory(window: Int, available: Int)
        /// An asset has no price on a row of the window.
        case missingPrice(asset: String, date: String)

        package var description: String {
            switch self {
            case .notEnoughHistory(let window, let available):
                "a window of \(window) returns needs \(window + 1) price rows up to the as-of date; \(available) available"
            case .missingPrice(let asset, let date):
                "\(asset) has no price on \(date), inside the window"
            }
        }

        package var exitStatus: Int32 { ExitStatus.badData }
    }

    /// The returns of `assets` over the `window` rows ending at `row`.
    /// - Throws: `Failure` when the window does not fit or an asset lacks a price in it.
    package init(_ dataset: Dataset, assets: [Int], endingAt row: Int, window: Int) throws(Failure) {
        guard row - window >= 0 else { throw .notEnoughHistory(window: window, available: row + 1) }
        var returns = [[Double]](repeating: [Double](repeating: 0, count: assets.count), count: window)
        for (k, asset) in assets.enumerated() {
            for t in 0..<window {
                let current = row - window + 1 + t
                guard let now = dataset.price(row: current, asset: asset),
                    let before = dataset.price(row: current - 1, asset: asset)
                else {
                    let missing = dataset.price(row: current - 1, asset: asset) == nil ? current - 1 : current
                    throw .missingPrice(asset: dataset.assets[asset], date: dataset.dates[missing].description)
                }
                returns[t][k] = now / before - 1
            }
        }
        self.assets = assets
        self.returns = returns
    }

    /// The assets with a price on every row of the window ending at `row` (baseline
    /// estimation windows use only those; the others get weight 0).
    package static func eligibleAssets(_ dataset: Dataset, endingAt row: Int, window: Int) -> [Int] {
        guard row - window >= 0 else { return [] }
        return dataset.assets.indices.filter { dataset.firstRows[$0] <= row - window }
    }

    /// `sum_k weights[k] r[t][k]` per row: the constant-mix portfolio (cash earns 0).
    package func portfolioReturns(_ weights: [Double]) -> [Double] {
        returns.map { row in zip(row, weights).reduce(0) { $0 + $1.0 * $1.1 } }
    }
}
