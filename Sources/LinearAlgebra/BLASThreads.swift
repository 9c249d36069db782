import CBLAS

/// The number of threads OpenBLAS uses for its level-3 routines.
package enum BLASThreads {
    /// Sets the OpenBLAS thread count (the `--threads` option of `regimen-bench`).
    package static func set(_ count: Int) {
        openblas_set_num_threads(Int32(max(1, count)))
    }

    /// The OpenBLAS thread count now in force.
    package static var current: Int { Int(openblas_get_num_threads()) }
}
