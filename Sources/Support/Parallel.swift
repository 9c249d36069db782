import Foundation

/// Independent pieces of work run on several threads, results kept in input order, so the
/// outcome never depends on how many ran at once (restarts of a fit, ensemble members).
///
/// Why not `TaskGroup`: the work is CPU-bound and synchronous (BLAS, tight loops), and the
/// callers are synchronous; `DispatchQueue.concurrentPerform` runs it on worker threads and
/// blocks until done, without making every caller `async`.
package enum Parallel {
    /// `body(0) ..< body(count - 1)` with at most `width` running at once (never more than the
    /// machine's cores); `width <= 1` runs them in order on the calling thread.
    package static func map<Result>(_ count: Int, width: Int, _ body: @Sendable (Int) -> Result) -> [Result] {
        let workers = min(count, width, ProcessInfo.processInfo.activeProcessorCount)
        guard workers > 1 else { return (0..<count).map(body) }
        let results = LockedResults<Result>(count: count)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let index = results.claim() { results.store(body(index), at: index) }
        }
        return results.collected()
    }
}

/// The shared state of one `Parallel.map`: the next index to hand out and the results.
private final class LockedResults<Result>: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private var results: [Result?]

    init(count: Int) { results = Array(repeating: nil, count: count) }

    func claim() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard next < results.count else { return nil }
        next += 1
        return next - 1
    }

    func store(_ result: Result, at index: Int) {
        lock.lock()
        defer { lock.unlock() }
        results[index] = result
    }

    func collected() -> [Result] { results.map { $0! } }
}
