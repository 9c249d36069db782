import CBLAS

/// Whether a BLAS operand is used as stored or transposed (Swift name for `CBLAS_TRANSPOSE`).
package enum Transpose: Sendable {
    /// Use the matrix as stored.
    case none
    /// Use the transpose of the stored matrix.
    case transposed

    /// Convenience for a Boolean flag.
    package init(_ isTransposed: Bool) { self = isTransposed ? .transposed : .none }

    var cblas: CBLAS_TRANSPOSE { self == .none ? CblasNoTrans : CblasTrans }
}
