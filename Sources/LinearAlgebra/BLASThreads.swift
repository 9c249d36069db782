import CBLAS
import Synchronization

/// The number of threads OpenBLAS uses, and the size below which a product runs on one.
///
/// OpenBLAS splits any product above about 262,144 multiply-adds across all its threads,
/// and the hand-off costs more than it saves for the small products of small-batch training
/// and of recurrent steps (measured: the GRU benchmark ran faster on one thread than on
/// two). `prepare(m:n:k:)`, called by every `gemm`, keeps products under `parallelThreshold` multiply-adds on
/// one thread and gives larger ones the configured count (1 << 20 was chosen from runs of
/// `regimen-bench mlp` and `gru` at 2^18, 2^20 and 2^22). OpenBLAS's thread count is
/// process-wide state of the C library; this type only mirrors it.
package enum BLASThreads {
    /// Multiply-adds (m * n * k) from which a product uses more than one thread.
    package static let parallelThreshold = 1 << 20

    private static let configured = Atomic<Int>(0)

    /// Sets the OpenBLAS thread count for large products (the `--threads` option).
    package static func set(_ count: Int) {
        let count = max(1, count)
        configured.store(count, ordering: .relaxed)
        openblas_set_num_threads(Int32(count))
    }

    /// The thread count set with `set(_:)`, or OpenBLAS's own default if never set (read
    /// once, before `prepare` first changes OpenBLAS's count for a small product: OpenBLAS's
    /// live count is not the configured one after that).
    package static var current: Int {
        let value = configured.load(ordering: .relaxed)
        if value > 0 { return value }
        let initial = max(1, Int(openblas_get_num_threads()))
        let (exchanged, original) = configured.compareExchange(expected: 0, desired: initial, ordering: .relaxed)
        return exchanged ? initial : original
    }

    /// `body` with OpenBLAS on one thread, then the configured count again: for work that
    /// runs products side by side on its own threads (ensemble members, folds, restarts, the
    /// GRU's batch parts), where OpenBLAS's threads would only oversubscribe the cores, and
    /// for a sweep's run, which is one of several processes. Nested calls keep one thread.
    package static func singleThreaded<Result, Failure: Error>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result {
        let threads = current
        set(1)
        defer { set(threads) }
        return try body()
    }

    /// Makes OpenBLAS use the thread count suited to an `m x k` by `k x n` product.
    static func prepare(m: Int, n: Int, k: Int) {
        let configuredCount = current  // first, so a never-set default is read before any change
        let wanted = m * n * k < parallelThreshold ? 1 : configuredCount
        if Int(openblas_get_num_threads()) != wanted { openblas_set_num_threads(Int32(wanted)) }
    }
}
