import Foundation

/// Runs the package's built executables (`regimen`, `regimen-infer`, `regimen-bench`) as
/// subprocesses, as a user or a scheduler would.
package enum Executables {
    /// The outcome of one run.
    package struct Run: Sendable {
        package let status: Int32
        package let standardOutput: String
        package let standardError: String

        package init(status: Int32, standardOutput: String, standardError: String) {
            self.status = status
            self.standardOutput = standardOutput
            self.standardError = standardError
        }
    }

    /// The build products folder: the test bundle's own folder (`.build/<triple>/debug`).
    package static var productsDirectory: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
    }

    /// Runs `name` with `arguments` and waits for it; with `timeout`, a run still going after
    /// that many seconds is killed (its status is then SIGKILL's 9), so a hang fails a test
    /// instead of stalling the suite; with `directory`, it runs there (relative paths in the
    /// arguments are then relative to it).
    package static func run(
        _ name: String, _ arguments: [String], environment: [String: String] = [:], timeout: TimeInterval? = nil,
        directory: URL? = nil
    ) throws -> Run {
        let process = Process()
        process.executableURL = productsDirectory.appendingPathComponent(name)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        if let timeout {
            let pid = process.processIdentifier
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { [process] in
                if process.isRunning { kill(pid, SIGKILL) }
            }
        }
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        let errData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus,
            standardOutput: String(decoding: outData, as: UTF8.self),
            standardError: String(decoding: errData, as: UTF8.self))
    }

    /// Runs `swift package ARGUMENTS` in `directory` (the toolchain on PATH) and returns its
    /// standard output. A scratch folder of its own keeps it off the build folder's lock,
    /// which the running `swift test` holds.
    /// - Throws: when it cannot start or exits non-zero.
    package static func runSwiftPackage(_ arguments: [String], in directory: URL) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("regimen-scratch-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        process.arguments = ["swift", "package", "--scratch-path", scratch.path] + arguments
        process.currentDirectoryURL = directory
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CocoaError(
                .executableLoad,
                userInfo: [
                    NSLocalizedDescriptionKey:
                        "swift package \(arguments.joined(separator: " ")) exited \(process.terminationStatus)"
                ])
        }
        return String(decoding: data, as: UTF8.self)
    }
}
