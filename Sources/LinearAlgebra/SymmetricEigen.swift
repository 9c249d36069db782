import CBLAS

/// Eigenvalues (ascending) and eigenvectors of a symmetric matrix, by LAPACK `dsyevd`.
///
/// Used for the condition number of covariance matrices and for repairing matrices that
/// are not positive semi-definite (clip the eigenvalues, rebuild `V diag(l) V^T`).
package struct SymmetricEigen: Sendable {
    /// Eigenvalues in ascending order.
    package let values: [Double]
    /// Eigenvectors as the columns of a row-major `n x n` matrix (column k pairs with
    /// `values[k]`).
    package let vectors: [Double]
    /// The matrix order.
    package let order: Int

    /// Decomposes the symmetric row-major `order x order` `matrix`.
    /// - Precondition: `matrix.count == order * order`, finite entries, LAPACK converges.
    package init(symmetric matrix: [Double], order: Int) {
        precondition(matrix.count == order * order, "SymmetricEigen: expected \(order)x\(order) values, got \(matrix.count)")
        precondition(matrix.allSatisfy(\.isFinite), "SymmetricEigen: matrix has non-finite entries")
        self.order = order
        guard order > 0 else {
            values = []
            vectors = []
            return
        }
        // Column-major A = row-major A^T = A (symmetric): pass it as is.
        var a = matrix
        var n = Int32(order)
        var lda = Int32(order)
        var info: Int32 = 0
        var jobz = CChar(UInt8(ascii: "V"))
        var uplo = CChar(UInt8(ascii: "U"))
        var w = [Double](repeating: 0, count: order)
        var workQuery = 0.0
        var iworkQuery: Int32 = 0
        var lwork: Int32 = -1
        var liwork: Int32 = -1
        dsyevd_(&jobz, &uplo, &n, &a, &lda, &w, &workQuery, &lwork, &iworkQuery, &liwork, &info)
        lwork = Int32(workQuery)
        liwork = iworkQuery
        var work = [Double](repeating: 0, count: Int(lwork))
        var iwork = [Int32](repeating: 0, count: Int(liwork))
        dsyevd_(&jobz, &uplo, &n, &a, &lda, &w, &work, &lwork, &iwork, &liwork, &info)
        precondition(info == 0, "SymmetricEigen: dsyevd failed with info \(info)")
        // LAPACK's column-major eigenvector matrix read row-major is its transpose:
        // transpose back so that column k holds eigenvector k.
        var columns = [Double](repeating: 0, count: order * order)
        for i in 0..<order {
            for k in 0..<order { columns[i * order + k] = a[k * order + i] }
        }
        values = w
        vectors = columns
    }

    /// `max |l| / min |l|`; infinity when the smallest eigenvalue is zero.
    package var conditionNumber: Double {
        let magnitudes = values.map(Swift.abs)
        guard let largest = magnitudes.max(), let smallest = magnitudes.min() else { return 1 }
        return smallest == 0 ? .infinity : largest / smallest
    }

    /// `V diag(f(l)) V^T` for eigenvalues mapped by `transform`.
    package func rebuilt(_ transform: (Double) -> Double) -> [Double] {
        let mapped = values.map(transform)
        var result = [Double](repeating: 0, count: order * order)
        for i in 0..<order {
            for j in i..<order {
                var total = 0.0
                for k in 0..<order { total += vectors[i * order + k] * mapped[k] * vectors[j * order + k] }
                result[i * order + j] = total
                result[j * order + i] = total
            }
        }
        return result
    }
}
