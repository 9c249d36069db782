import CBLAS
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The number of threads OpenBLAS uses, and the size below which a product runs on one.
///
/// OpenBLAS splits any product above about 262,144 multiply-adds across all its threads,
/// and the hand-off costs more than it saves for the small products of small-batch training
/// and of recurrent steps (measured: the GRU benchmark ran faster on one thread than on
/// two). `withThreads(m:n:k:_:)`, around every `gemm`, keeps products under
/// `parallelThreshold` multiply-adds on one thread and gives larger ones the configured count
/// (1 << 20 was chosen from runs of `regimen-bench mlp` and `gru` at 2^18, 2^20 and 2^22).
///
/// OpenBLAS's thread count is process-wide state of the C library, and a product's bits can
/// depend on it (an edge block may go through another micro-kernel), so a product must run
/// with exactly the count it asked for: a product that needs OpenBLAS's count changed takes a
/// process-wide lock exclusively, one that does not takes it shared (many at once). And
/// `singleThreaded` regions are counted, not saved and restored, so two regions on different
/// threads cannot leave each other's count behind.
package enum BLASThreads {
    /// Multiply-adds (m * n * k) from which a product uses more than one thread.
    package static let parallelThreshold = 1 << 20

    private static let configured = Atomic<Int>(0)
    /// How many `singleThreaded` regions are running (on any thread).
    private static let singleThreadedRegions = Atomic<Int>(0)
    /// Held shared while a product runs with OpenBLAS's count as it is, exclusively while the
    /// count is changed and the product that needed the change runs.
    nonisolated(unsafe) private static var countLock: pthread_rwlock_t = {
        var lock = pthread_rwlock_t()
        pthread_rwlock_init(&lock, nil)
        return lock
    }()

    /// Sets the OpenBLAS thread count for large products (the `--threads` option).
    package static func set(_ count: Int) {
        configured.store(max(1, count), ordering: .relaxed)
        pthread_rwlock_wrlock(&countLock)
        openblas_set_num_threads(Int32(max(1, count)))
        pthread_rwlock_unlock(&countLock)
    }

    /// The thread count set with `set(_:)`, or OpenBLAS's own default if never set (read
    /// once, before a product first changes OpenBLAS's count: OpenBLAS's live count is not the
    /// configured one after that).
    package static var current: Int {
        let value = configured.load(ordering: .relaxed)
        if value > 0 { return value }
        let initial = max(1, Int(openblas_get_num_threads()))
        let (exchanged, original) = configured.compareExchange(expected: 0, desired: initial, ordering: .relaxed)
        return exchanged ? initial : original
    }

    /// The threads a caller may use for work of its own beside BLAS: 1 inside a
    /// `singleThreaded` region (on any thread), else the configured count.
    package static var available: Int {
        let configuredCount = current
        return singleThreadedRegions.load(ordering: .relaxed) > 0 ? 1 : configuredCount
    }

    /// `body` with every product on one thread: for work that runs products side by side on
    /// its own threads (ensemble members, folds, restarts, the GRU's batch parts), where
    /// OpenBLAS's threads would only oversubscribe the cores, and for a sweep's run, which is
    /// one of several processes. Regions nest and may overlap on different threads.
    package static func singleThreaded<Result, Failure: Error>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result {
        _ = current  // read OpenBLAS's default before any region or product changes its count
        singleThreadedRegions.add(1, ordering: .relaxed)
        defer { singleThreadedRegions.subtract(1, ordering: .relaxed) }
        return try body()
    }

    /// The thread count an `m x k` by `k x n` product runs with.
    static func wanted(m: Int, n: Int, k: Int) -> Int {
        let configuredCount = current  // first, so a never-set default is read before any change
        if singleThreadedRegions.load(ordering: .relaxed) > 0 || m * n * k < parallelThreshold { return 1 }
        return configuredCount
    }

    /// Multiply-adds up to which OpenBLAS runs a product on one thread whatever its count
    /// (`interface/gemm.c`: `m n k <= 65536 * GEMM_MULTITHREAD_THRESHOLD`, 4 by default).
    static let openBLASSingleThreadLimit = 65_536 * 4

    /// Runs `product` (one BLAS call) with OpenBLAS on the thread count suited to an `m x k`
    /// by `k x n` product, and no other thread changing it meanwhile. A product OpenBLAS runs
    /// on one thread anyway needs neither the lock nor a change of count (most of a small
    /// batch's products: the lock's shared counter would only bounce between the cores).
    static func withThreads(m: Int, n: Int, k: Int, _ product: () -> Void) {
        if m * n * k <= openBLASSingleThreadLimit { return product() }
        let count = wanted(m: m, n: n, k: k)
        pthread_rwlock_rdlock(&countLock)
        if Int(openblas_get_num_threads()) == count {
            product()
            pthread_rwlock_unlock(&countLock)
            return
        }
        pthread_rwlock_unlock(&countLock)
        pthread_rwlock_wrlock(&countLock)
        if Int(openblas_get_num_threads()) != count { openblas_set_num_threads(Int32(count)) }
        product()
        pthread_rwlock_unlock(&countLock)
    }
}
