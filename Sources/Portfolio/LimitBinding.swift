/// A limit that bound a decision: the limit, and for per-asset caps the asset (or, for the
/// regime caps' names, the label). Rendered as the weights file and reports list it
/// (`max_weight`, `asset_max:BTC`) only where a file is written.
package struct LimitBinding: Sendable, Hashable, Comparable, CustomStringConvertible {
    package let limit: LimitName
    /// The asset of a per-asset cap (nil for a portfolio-wide limit).
    package let asset: String?

    package init(_ limit: LimitName, asset: String? = nil) {
        self.limit = limit
        self.asset = asset
    }

    /// `limit` or `limit:asset`.
    package var description: String { asset.map { "\(limit.rawValue):\($0)" } ?? limit.rawValue }

    package static func < (lhs: LimitBinding, rhs: LimitBinding) -> Bool { lhs.description < rhs.description }
}
