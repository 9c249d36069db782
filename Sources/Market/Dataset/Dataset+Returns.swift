extension Dataset {
    /// The simple return `p_t / p_{t-1} - 1` of `asset` over period `row` (contract
    /// conventions), or nil when either price is missing (not listed yet) or `row` is 0.
    package func simpleReturn(row: Int, asset: Int) -> Double? {
        guard row >= 1, let now = price(row: row, asset: asset), let before = price(row: row - 1, asset: asset) else {
            return nil
        }
        return now / before - 1
    }
}
