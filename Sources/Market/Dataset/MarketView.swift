/// What a decision at one row may see: the market as it was known at that row's close
/// (cvxportfolio's `serve(t)`). A view holds the dataset truncated at the decision row, so
/// the rows after it do not exist in it; only `Dataset.view(throughRow:)` makes one, and
/// every allocator, the simulator's sessions and the daily job decide through a view, so
/// handing a decision the whole dataset is a type error, not a review item.
package struct MarketView: Sendable {
    /// The market through the decision row only (`Dataset.truncated(throughRow:)`).
    package let history: Dataset

    init(history: Dataset) { self.history = history }

    /// The decision row: the last row of `history`.
    package var row: Int { history.rowCount - 1 }

    /// The decision date.
    package var date: Timestamp { history.dates[row] }
}

extension Dataset {
    /// The view of a decision at the close of `row`.
    /// - Precondition: `0 <= row < rowCount`.
    package func view(throughRow row: Int) -> MarketView {
        MarketView(history: truncated(throughRow: row))
    }
}
