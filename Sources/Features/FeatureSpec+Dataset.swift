import Market

extension FeatureSpec {
    /// The names in `exogenous` that `dataset` has no series of (no column of its
    /// `features.csv`), in the specification's order; empty when `exogenous` is nil (every
    /// column is used) or every name is a column. A name without a column would otherwise
    /// be dropped without a word, and the features would not be the ones the spec declares.
    package func missingExogenous(in dataset: Dataset) -> [String] {
        guard let exogenous else { return [] }
        let columns = Set(dataset.exogenous.map(\.name))
        return exogenous.filter { !columns.contains($0) }
    }
}
