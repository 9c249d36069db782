import Foundation

/// Runs sweep runs as child processes of the `regimen` binary, `jobs` at a time (contract
/// section 9, `--executor local`): each child runs `regimen sweep run-one` for one run with
/// one BLAS thread and prints its `runs.jsonl` line. A child that crashes or prints no line
/// is recorded as a failed run; the others go on. A child's output is read while it runs, so
/// a line of any size (longer than a pipe holds) never blocks it.
package enum LocalExecutor {
    /// Runs every run of `ids` and hands each finished line to `finished` (on the calling
    /// thread, in completion order).
    /// - Parameters:
    ///   - arguments: the child's arguments for a run id.
    ///   - failure: the line recorded for a run whose child failed, given its error text.
    package static func run(
        _ ids: [String], jobs: Int, executable: URL, arguments: (String) -> [String], failure: (String, String) -> String,
        finished: (String) throws -> Void
    ) throws {
        var pending = ids[...]
        var running: [(id: String, process: Process, output: PipeReader, error: PipeReader)] = []
        let done = DispatchSemaphore(value: 0)
        var environment = ProcessInfo.processInfo.environment
        environment["OPENBLAS_NUM_THREADS"] = "1"
        while !pending.isEmpty || !running.isEmpty {
            while running.count < Swift.max(1, jobs), let id = pending.popFirst() {
                let process = Process()
                process.executableURL = executable
                process.arguments = arguments(id)
                process.environment = environment
                let (output, error) = (Pipe(), Pipe())
                process.standardOutput = output
                process.standardError = error
                process.terminationHandler = { _ in done.signal() }
                try process.run()
                ChildProcesses.shared.add(process)
                running.append((id, process, PipeReader(output), PipeReader(error)))
            }
            done.wait()
            var index = running.firstIndex { !$0.process.isRunning }
            while index == nil {
                usleep(1000)
                index = running.firstIndex { !$0.process.isRunning }
            }
            let child = running.remove(at: index!)
            child.process.waitUntilExit()
            // A child a stop ended is not a failed run: nothing is recorded, nothing else starts.
            ChildProcesses.shared.holdIfStopping()
            ChildProcesses.shared.remove(child.process)
            let text = String(decoding: child.output.bytes(), as: UTF8.self)
            let line = text.split(separator: "\n").last.map(String.init)
            if child.process.terminationStatus == 0, let line, line.hasPrefix("{") {
                try finished(line)
            } else {
                let message = String(decoding: child.error.bytes(), as: UTF8.self)
                let reason =
                    child.process.terminationReason == .uncaughtSignal
                    ? "the run's process died (signal \(child.process.terminationStatus))"
                    : message.split(separator: "\n").last.map(String.init) ?? "exit \(child.process.terminationStatus)"
                try finished(failure(child.id, reason))
            }
        }
    }
}

/// The bytes of a pipe, read to its end on a thread of its own from the moment it is made:
/// a child writing more than the pipe holds goes on instead of waiting for a reader.
final class PipeReader: @unchecked Sendable {
    // Written once by the reading thread before `finished` is signalled; read after it.
    private var data = Data()
    private let finished = DispatchSemaphore(value: 0)

    /// Starts reading `pipe`'s read end.
    init(_ pipe: Pipe) {
        let handle = pipe.fileHandleForReading
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            finished.signal()
        }
    }

    /// Waits for the end of the pipe (the child and its own children closed it) and returns
    /// everything read; call it once.
    func bytes() -> Data {
        finished.wait()
        return data
    }
}
