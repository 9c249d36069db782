import Foundation
import Support

/// Runs sweep runs as Ray tasks on an existing cluster (contract section 9, `--executor
/// ray`) through the driver embedded in the binary (`RayDriver`): the Swift command starts it
/// with the run ids on stdin and reads what it prints on stdout, one JSON object a line: the
/// submission, then one report per finished run. The runs' inputs travel to the workers
/// through Ray (`RayBundle`); their lines come back through the driver and this process
/// appends them to `runs.jsonl`. Each task runs the same `regimen sweep run-one` child as the
/// local executor, with the same one BLAS thread, so `runs.jsonl` holds the same bytes.
package enum RayExecutor {
    /// Why the driver could not run or its inputs could not be gathered (an internal failure, 70).
    package struct Failure: ReportableError {
        package let description: String
        package var exitStatus: Int32 { ExitStatus.internalFailure }
    }

    /// One line of the driver's stdout: the submission (`submitted`) or a finished run's report.
    struct Message: Decodable {
        /// How many runs were submitted; by then Ray holds the bundle's upload.
        let submitted: Int?
        let run_id: String?
        let status: Int?
        let line: String?
        let error: String?
        /// The Ray node the run ran on.
        let node: String?
    }

    /// How to start the driver.
    package struct Driver: Sendable, Equatable {
        /// The Python with `ray`.
        package var python: String
        /// A driver script to run instead of the embedded one (`--ray-driver`).
        package var script: String?
        /// The cluster (`--address`).
        package var address: String

        /// A driver run by `python`, the embedded one when `script` is nil, for the cluster at `address`.
        package init(python: String, script: String?, address: String) {
            self.python = python
            self.script = script
            self.address = address
        }
    }

    /// Runs `ids` on the cluster with the inputs of `bundle` (deleted once submitted) and hands
    /// each finished line to `finished`; notes the submission and the nodes used to `note`.
    /// - Parameter failure: the line recorded for a run that failed, given its id and error.
    /// - Throws: `RayAddress.Unreachable` (66); `Failure` (70) when the driver cannot start, or
    ///   ends without reporting every run (the runs reported are already handed on).
    package static func run(
        _ ids: [String], bundle: RayBundle, driver: Driver, failure: (String, String) -> String, note: (String) -> Void,
        finished: (String) throws -> Void
    ) throws {
        try RayAddress.check(driver.address)
        let script = try driver.script.map { URL(fileURLWithPath: $0) } ?? RayDriver.writeTemporary()
        defer { if driver.script == nil { try? FileManager.default.removeItem(at: script) } }
        let arguments = [script.path, "--address", driver.address, "--bundle", bundle.folder.path, "--threads", "1"]
        let (process, output, errorLog) = try start(driver.python, arguments, input: ids.map { $0 + "\n" }.joined())
        defer { try? FileManager.default.removeItem(at: errorLog) }
        defer { ChildProcesses.shared.remove(process) }
        var (seen, nodes) = (Set<String>(), Set<String>())
        try readLines(output) { line in
            guard let message = try? JSONDecoder().decode(Message.self, from: line) else { return }
            if let count = message.submitted {
                bundle.remove()
                note("sweep: \(count) runs submitted to Ray (\(driver.address)); their inputs travel through Ray")
            }
            guard let id = message.run_id else { return }
            seen.insert(id)
            if let node = message.node { nodes.insert(node) }
            if message.status == 0, let result = message.line {
                try finished(result)
            } else {
                try finished(failure(id, message.error ?? "exit \(message.status ?? -1)"))
            }
        }
        process.waitUntilExit()
        ChildProcesses.shared.holdIfStopping()
        let missing = ids.filter { !seen.contains($0) }
        guard process.terminationStatus == 0, missing.isEmpty else {
            let message = (try? String(contentsOf: errorLog, encoding: .utf8)) ?? ""
            throw Failure(
                description:
                    "the Ray driver (\(driver.script ?? "embedded")) exited \(process.terminationStatus) with \(missing.count) runs unreported: \(message.split(separator: "\n").suffix(3).joined(separator: " | "))"
            )
        }
        if !seen.isEmpty { note("sweep: \(seen.count) runs ran on \(nodes.count) Ray node(s)") }
    }

    /// Starts `python` with `arguments` (one of the sweep's children, so a stop reaches it),
    /// writes `input` to its stdin and closes it; its stderr goes to a new temporary file (Ray
    /// logs there: a pipe could fill and block the driver).
    /// - Returns: the process, its stdout and the stderr file (the caller removes it).
    static func start(_ python: String, _ arguments: [String], input: String) throws -> (Process, FileHandle, URL) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python] + arguments
        let (stdin, stdout) = (Pipe(), Pipe())
        let errorLog = FileManager.default.temporaryDirectory.appendingPathComponent("regimen-ray-\(UUID().uuidString).log")
        guard FileManager.default.createFile(atPath: errorLog.path, contents: nil),
            let log = try? FileHandle(forWritingTo: errorLog)
        else {
            try? FileManager.default.removeItem(at: errorLog)
            throw Failure(description: "cannot create \(errorLog.path) for the Ray driver's log")
        }
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = log
        do { try process.run() } catch {
            try? FileManager.default.removeItem(at: errorLog)
            throw error
        }
        ChildProcesses.shared.add(process)
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        return (process, stdout.fileHandleForReading, errorLog)
    }

    /// Hands each line of `handle` (without its newline) to `body` as it arrives, to the end.
    static func readLines(_ handle: FileHandle, _ body: (Data) throws -> Void) throws {
        var buffer = Data()
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { return }
            buffer.append(chunk)
            while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = Data(buffer[buffer.startIndex..<newline])
                buffer = Data(buffer[(newline + 1)...])
                try body(line)
            }
        }
    }
}
