import Foundation
import Support

/// Runs sweep runs as Ray tasks on an existing cluster (contract section 9, `--executor
/// ray`) through the pinned Python driver `scripts/ray/sweep_driver.py`: the Swift command
/// starts it with the run ids on stdin and reads one JSON object per finished run from its
/// stdout. Each task runs the same `regimen sweep run-one` child as the local executor, with
/// the same one BLAS thread, so `runs.jsonl` holds the same bytes.
package enum RayExecutor {
    /// Why the driver could not run (an internal failure, 70).
    package struct Failure: ReportableError {
        package let description: String
        package var exitStatus: Int32 { ExitStatus.internalFailure }
    }

    /// One finished run as the driver reports it.
    struct Report: Decodable {
        let run_id: String
        let status: Int
        let line: String?
        let error: String?
    }

    /// Runs `ids` on the cluster at `address` and hands each finished line to `finished`.
    package static func run(
        _ ids: [String], python: String, driver: String, address: String, regimen: URL, spec: String,
        failure: (String, String) -> String, finished: (String) throws -> Void
    ) throws {
        try RayAddress.check(address)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            python, driver, "--address", address, "--regimen", regimen.path, "--spec", spec, "--threads", "1",
        ]
        let (input, output) = (Pipe(), Pipe())
        // Ray logs to stderr: a file, not a pipe that could fill and block the driver.
        let errorLog = FileManager.default.temporaryDirectory.appendingPathComponent("regimen-ray-\(UUID().uuidString).log")
        guard FileManager.default.createFile(atPath: errorLog.path, contents: nil) else {
            throw Failure(description: "cannot create \(errorLog.path) for the Ray driver's log")
        }
        defer { try? FileManager.default.removeItem(at: errorLog) }
        process.standardInput = input
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: errorLog)
        try process.run()
        ChildProcesses.shared.add(process)
        defer { ChildProcesses.shared.remove(process) }
        input.fileHandleForWriting.write(Data(ids.map { $0 + "\n" }.joined().utf8))
        try input.fileHandleForWriting.close()
        var buffer = Data()
        var seen = Set<String>()
        let reader = output.fileHandleForReading
        while true {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            buffer.append(chunk)
            while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = buffer[buffer.startIndex..<newline]
                buffer = Data(buffer[(newline + 1)...])
                guard let report = try? JSONDecoder().decode(Report.self, from: line) else { continue }
                seen.insert(report.run_id)
                if report.status == 0, let result = report.line {
                    try finished(result)
                } else {
                    try finished(failure(report.run_id, report.error ?? "exit \(report.status)"))
                }
            }
        }
        process.waitUntilExit()
        ChildProcesses.shared.holdIfStopping()
        let missing = ids.filter { !seen.contains($0) }
        guard process.terminationStatus == 0, missing.isEmpty else {
            let message = (try? String(contentsOf: errorLog, encoding: .utf8)) ?? ""
            throw Failure(
                description:
                    "the Ray driver (\(driver)) exited \(process.terminationStatus) with \(missing.count) runs unreported: \(message.split(separator: "\n").suffix(3).joined(separator: " | "))"
            )
        }
    }

    /// The driver script of the checkout the executable was built in.
    package static func defaultDriver(executable: URL) -> String? {
        var folder = executable.deletingLastPathComponent()
        for _ in 0..<8 {
            let candidate = folder.appendingPathComponent("scripts/ray/sweep_driver.py")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate.path }
            folder.deleteLastPathComponent()
        }
        return nil
    }
}
