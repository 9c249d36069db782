import Foundation

/// Runs the package's built executables (`regimen`, `regimen-infer`, `regimen-bench`) as
/// subprocesses, as a user or a scheduler would.
package enum Executables {
    /// The outcome of one run.
    package struct Run: Sendable {
        package let status: Int32
        package let standardOutput: String
        package let standardError: String
    }

    /// The build products folder: the test bundle's own folder (`.build/<triple>/debug`).
    package static var productsDirectory: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
    }

    /// Runs `name` with `arguments` and waits for it.
    package static func run(_ name: String, _ arguments: [String], environment: [String: String] = [:]) throws -> Run {
        let process = Process()
        process.executableURL = productsDirectory.appendingPathComponent(name)
        process.arguments = arguments
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        let errData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus,
            standardOutput: String(decoding: outData, as: UTF8.self),
            standardError: String(decoding: errData, as: UTF8.self))
    }
}
