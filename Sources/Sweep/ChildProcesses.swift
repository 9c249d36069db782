import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The child processes a sweep has running (its runs, or the Ray driver), so that a stop
/// reaches them: while `forwardingStops` runs, SIGTERM or SIGINT to `regimen sweep` (a
/// scheduler's stop, `timeout`, Ctrl-C) is sent on to every child, the sweep waits briefly for
/// them to end, and exits with 128 + the signal. Finished runs are already in `runs.jsonl`
/// (each line is synced as it finishes), so the next run resumes after them.
package final class ChildProcesses: @unchecked Sendable {
    /// The sweep's children (one sweep per process).
    package static let shared = ChildProcesses()

    private let lock = NSLock()
    private var running: [Int32: Process] = [:]
    private var stopping = false

    /// Whether a stop is under way: no run may start, and a run that ends is not recorded (the
    /// stop ended it; the next sweep reruns it).
    var isStopping: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopping
    }

    /// Records a started child (stopped at once when a stop is under way).
    func add(_ process: Process) {
        lock.lock()
        defer { lock.unlock() }
        running[process.processIdentifier] = process
        if stopping { kill(process.processIdentifier, SIGTERM) }
    }

    /// Waits for the stop to end the process when one is under way; returns at once otherwise.
    func holdIfStopping() {
        while isStopping { usleep(100_000) }
    }

    /// Forgets a child that has ended.
    func remove(_ process: Process) {
        lock.lock()
        defer { lock.unlock() }
        running[process.processIdentifier] = nil
    }

    /// Marks the stop and sends `signal` to every running child; returns them.
    private func signalAll(_ signal: Int32) -> [Process] {
        lock.lock()
        defer { lock.unlock() }
        stopping = true
        for pid in running.keys { kill(pid, signal) }
        return Array(running.values)
    }

    /// Runs `body` with SIGTERM and SIGINT forwarded to the children (see the type's doc);
    /// the default handling returns afterwards.
    package func forwardingStops<R>(_ body: () throws -> R) rethrows -> R {
        let sources = [SIGTERM, SIGINT].map { number -> DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [self] in stop(number) }
            source.resume()
            return source
        }
        defer {
            for source in sources { source.cancel() }
            signal(SIGTERM, SIG_DFL)
            signal(SIGINT, SIG_DFL)
        }
        return try body()
    }

    /// Forwards `number` to the children, waits up to 10 s for them, and exits 128 + `number`.
    private func stop(_ number: Int32) {
        let children = signalAll(number)
        let deadline = Date().addingTimeInterval(10)
        while children.contains(where: \.isRunning) && Date() < deadline { usleep(10_000) }
        for child in children where child.isRunning { kill(child.processIdentifier, SIGKILL) }
        let name = number == SIGTERM ? "SIGTERM" : "SIGINT"
        FileHandle.standardError.write(
            Data(
                "regimen sweep: \(name): stopped \(children.count) run(s) under way; finished runs are kept, rerun to resume\n"
                    .utf8))
        exit(128 + number)
    }
}
