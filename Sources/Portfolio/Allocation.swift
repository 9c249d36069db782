import Market

/// Target weights for one decision, over the dataset's assets (cash is the remainder).
package struct Allocation: Sendable, Equatable {
    /// One weight per dataset asset (0 for assets that take no part).
    package var weights: [Double]
    /// Warnings for a person (a near-singular covariance, a fallback taken).
    package var warnings: [String] = []

    package init(weights: [Double], warnings: [String] = []) {
        self.weights = weights
        self.warnings = warnings
    }

    /// The cash weight: `1 - sum(weights)`.
    package var cash: Double { 1 - weights.reduce(0, +) }
}

/// Anything that chooses weights at a date from the market as known then: baselines now,
/// trained policies later. Evaluation treats every allocator alike.
package protocol Allocator: Sendable {
    /// The CLI name (`equal-weight`, `NAME:VERSION`).
    var name: String { get }
    /// The weights to hold after the close of `row`, using rows `0...row` of `market` only.
    func allocate(_ market: Dataset, atRow row: Int) throws -> Allocation
}
