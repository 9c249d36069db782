import Foundation
import TestSupport
import Testing

/// The three executables answer `--help` and reject bad options with the usage status (64).
@Suite("Executables")
struct HelpTests {
    @Test(
        "every executable answers --help",
        arguments: [
            ("regimen", "Train and evaluate regime-aware crypto allocation"),
            ("regimen-infer", "Write today's portfolio weights"),
            ("regimen-bench", "Benchmark Regimen's workloads"),
        ])
    func help(_ executable: (String, String)) throws {
        let run = try Executables.run(executable.0, ["--help"])
        #expect(run.status == 0)
        #expect(run.standardOutput.contains(executable.1))
    }

    @Test("regimen --version names the revision it was built from; completion scripts are generated for each shell")
    func versionAndCompletion() throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", repository.path, "rev-parse", "HEAD"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let git = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let version = try Executables.run("regimen", ["--version"])
        #expect(version.status == 0)
        #expect(version.standardOutput.contains(git.trimmingCharacters(in: .whitespacesAndNewlines)), "\(version.standardOutput)")
        for shell in ["bash", "zsh", "fish"] {
            let script = try Executables.run("regimen", ["--generate-completion-script", shell])
            #expect(script.status == 0 && script.standardOutput.contains("sweep"), "\(shell)")
        }
    }

    @Test("a regimen binary copied out of the checkout names the revision of the tree it was built in (stamped at build time)")
    func copiedBinaryVersion() throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized
        let git = Process()
        git.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        git.arguments = ["git", "-C", repository.path, "rev-parse", "--short", "HEAD"]
        let pipe = Pipe()
        git.standardOutput = pipe
        try git.run()
        let short = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        git.waitUntilExit()
        try #require(git.terminationStatus == 0 && !short.isEmpty, "git rev-parse failed in \(repository.path)")
        let outside = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("regimen-copy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: outside) }
        let copy = outside.appendingPathComponent("regimen")
        try FileManager.default.copyItem(at: Executables.productsDirectory.appendingPathComponent("regimen"), to: copy)
        let process = Process()
        process.executableURL = copy
        process.arguments = ["--version"]
        process.currentDirectoryURL = outside
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let version = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(version.contains("(revision \(short)"), "\(version) (HEAD \(short))")
    }

    @Test("regimen-bench lists its workloads")
    func workloads() throws {
        let run = try Executables.run("regimen-bench", ["--help"])
        for workload in ["gemm", "mlp", "gru"] { #expect(run.standardOutput.contains(workload)) }
    }

    @Test("a bad option value exits 64 naming the option")
    func usage() throws {
        let run = try Executables.run("regimen-bench", ["mlp", "--hidden", "128,x"])
        #expect(run.status == 64)
        #expect(run.standardError.contains("--hidden must be positive integers separated by commas, got '128,x'"))
        let dtype = try Executables.run("regimen-bench", ["gemm", "--dtype", "f16"])
        #expect(dtype.status == 64)
        #expect(dtype.standardError.contains("f16"))
    }

    @Test("a tiny benchmark prints the contract's JSON line")
    func jsonLine() throws {
        let run = try Executables.run(
            "regimen-bench",
            ["mlp", "--batch", "4", "--inputs", "3", "--hidden", "5", "--classes", "2", "--steps", "2", "--repeats", "3"])
        #expect(run.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
        for key in ["workload", "params", "threads", "seconds", "seconds_min", "seconds_max", "repeats", "per_second", "gflops"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        #expect(object["repeats"] as? Int == 3)
        #expect(object["workload"] as? String == "mlp")
    }
}
