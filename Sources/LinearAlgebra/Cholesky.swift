import CBLAS
import Foundation

/// The Cholesky factor of a symmetric positive-definite matrix, for solving without inverting.
///
/// Computed by LAPACK `dpotrf`. Matrices are row-major `n x n` arrays; since the input is
/// symmetric, the row-major lower triangle is LAPACK's column-major upper triangle.
package struct Cholesky: Sendable {
    /// Thrown when the matrix is not positive definite (LAPACK `info > 0`).
    package struct NotPositiveDefinite: Error, CustomStringConvertible {
        /// The 1-based order of the leading minor that is not positive definite.
        package let leadingMinor: Int
        package var description: String {
            "Cholesky: matrix is not positive definite (leading minor \(leadingMinor) is not positive)"
        }
    }

    /// Matrix order.
    package let order: Int
    private let factor: [Double]

    /// Factors the symmetric `order x order` row-major `matrix`.
    /// - Precondition: `matrix.count == order * order`.
    /// - Throws: `NotPositiveDefinite` when the factorisation fails.
    package init(symmetric matrix: [Double], order: Int) throws(NotPositiveDefinite) {
        precondition(matrix.count == order * order, "Cholesky: expected \(order)x\(order) values, got \(matrix.count)")
        var a = matrix
        var n = Int32(order)
        var lda = Int32(max(1, order))
        var info: Int32 = 0
        var uplo = CChar(UInt8(ascii: "U"))
        dpotrf_(&uplo, &n, &a, &lda, &info)
        if info > 0 { throw NotPositiveDefinite(leadingMinor: Int(info)) }
        precondition(info == 0, "Cholesky: dpotrf rejected argument \(-info)")
        self.order = order
        self.factor = a
    }

    /// The lower factor L (A = L L^T), row-major `n x n`; entries above the diagonal are
    /// unspecified (LAPACK leaves the input there). For callers that run their own
    /// triangular solves in a hot loop.
    package var lowerFactorRowMajor: [Double] { factor }

    /// `log det A = 2 sum log L_ii`.
    package var logDeterminant: Double {
        (0..<order).reduce(0) { $0 + 2 * log(factor[$1 * order + $1]) }
    }

    /// `b^T A^-1 b` by one triangular solve (`L y = b`, then `|y|^2`), without forming A^-1.
    package func inverseQuadraticForm(_ b: [Double]) -> Double {
        // The stored column-major upper factor U has U^T U = A; solve U^T y = b forward.
        var y = [Double](repeating: 0, count: order)
        var total = 0.0
        for i in 0..<order {
            var value = b[i]
            for k in 0..<i { value -= factor[i * order + k] * y[k] }
            y[i] = value / factor[i * order + i]
            total += y[i] * y[i]
        }
        return total
    }

    /// Solves `A x = b` for one right-hand side.
    /// - Precondition: `rightHandSide.count == order`.
    package func solve(_ rightHandSide: [Double]) -> [Double] {
        precondition(rightHandSide.count == order, "Cholesky.solve: expected \(order) values, got \(rightHandSide.count)")
        var b = rightHandSide
        var n = Int32(order)
        var nrhs: Int32 = 1
        var lda = Int32(max(1, order))
        var ldb = Int32(max(1, order))
        var info: Int32 = 0
        var uplo = CChar(UInt8(ascii: "U"))
        factor.withUnsafeBufferPointer { a in
            dpotrs_(&uplo, &n, &nrhs, a.baseAddress, &lda, &b, &ldb, &info)
        }
        precondition(info == 0, "Cholesky.solve: dpotrs rejected argument \(-info)")
        return b
    }
}
