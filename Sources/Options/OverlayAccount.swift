import Market

/// An overlay's book along a dataset: what the simulator and the daily job both do with it,
/// so a backtest holds, marks, rolls and settles exactly the options the daily job would
/// write (contract section 7).
///
/// Timing, like the weights: the decision at the close of row d trades at row d's marks; the
/// positions are then marked in full at the close of d + 1 (Black-76 from the spot close, the
/// implied-volatility index known then and the volatility rule); at or after expiry an option
/// is worth its intrinsic value and is settled into cash at the next decision. Quantities are
/// per unit of NAV: after a period they are divided by the NAV's growth, as weights drift.
package struct OverlayAccount: Sendable {
    package let spec: OverlaySpec
    /// The underlying's column in the dataset.
    package let asset: Int
    package let surface: VolatilitySurface
    /// The positions held (quantities per unit of NAV).
    package var book: [OverlayPosition] = []

    /// - Returns: nil when the dataset has no such asset.
    package init?(_ spec: OverlaySpec, dataset: Dataset, surface: VolatilitySurface = .deribitBTC, book: [OverlayPosition] = []) {
        guard let asset = dataset.assets.firstIndex(of: spec.asset) else { return nil }
        self.spec = spec
        self.asset = asset
        self.surface = surface
        self.book = book
    }

    /// The option market at `row`: nil before the asset's spot close or its first
    /// implied-volatility observation.
    package func market(_ dataset: Dataset, row: Int) -> OptionMarket? {
        guard let spot = dataset.spotClose(row: row, asset: asset),
            let atm30 = dataset.impliedVolatility(of: spec.asset, atRow: row)
        else { return nil }
        return OptionMarket(date: dataset.dates[row], spot: spot, atm30: atm30, surface: surface)
    }

    /// The book's value at `row` (fraction of NAV); 0 when it cannot be priced.
    package func value(_ dataset: Dataset, row: Int) -> Double {
        guard !book.isEmpty, let market = market(dataset, row: row) else { return 0 }
        return OverlayGreeks(book, on: market).value
    }

    /// The decision at `row` for the target `weights` (one per dataset asset) under `caps`;
    /// nil (nothing traded, the book kept) when the options cannot be priced there.
    package mutating func decide(_ dataset: Dataset, row: Int, weights: [Double], caps: OverlayCaps) -> OverlayDecision.Outcome? {
        guard let market = market(dataset, row: row) else { return nil }
        let outcome = OverlayDecision.decide(
            spec, held: book, weight: weights[asset], book: weights.reduce(0, +), market: market, caps: caps)
        book = outcome.positions
        return outcome
    }

    /// After a period in which the NAV grew by `growth` (before costs), quantities per unit
    /// of NAV shrink by it.
    package mutating func drift(by growth: Double) {
        guard growth > 0 else { return }
        for index in book.indices { book[index].quantity /= growth }
    }
}
