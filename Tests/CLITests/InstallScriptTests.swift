import Foundation
import TestSupport
import Testing

/// `scripts/install.sh --prefix DIR --bin DIR` with the binaries this test run built (no
/// build): the files land where they belong, the rendered unit and crontab point at
/// `DIR/bin/regimen-infer`, and a second run changes nothing.
@Suite("scripts/install.sh")
struct InstallScriptTests {
    /// Runs `executable` with `arguments` and waits for it.
    static func run(_ executable: String, _ arguments: [String]) throws -> Executables.Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        let errData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Executables.Run(
            status: process.terminationStatus, standardOutput: String(decoding: outData, as: UTF8.self),
            standardError: String(decoding: errData, as: UTF8.self))
    }

    /// Runs the script with `arguments`.
    static func install(_ arguments: [String]) throws -> Executables.Run {
        let script = InferCommandTests.repository.appendingPathComponent("scripts/install.sh").path
        return try run("/usr/bin/env", ["bash", script] + arguments)
    }

    @Test("installs binaries, completions, the rendered unit, timer and crontab, and the job's folders; idempotent")
    func installsIntoAPrefix() throws {
        let prefix = try Fixtures.temporaryDirectory().appendingPathComponent("opt/regimen")
        let arguments = ["--prefix", prefix.path, "--bin", Executables.productsDirectory.path]
        let first = try Self.install(arguments)
        #expect(first.status == 0, "\(first.standardError)")
        let files = [
            "bin/regimen", "bin/regimen-infer", "bin/regimen-bench", "share/bash-completion/completions/regimen",
            "share/zsh/site-functions/_regimen-infer", "share/fish/vendor_completions.d/regimen.fish",
            "lib/systemd/system/regimen-infer.service", "lib/systemd/system/regimen-infer.timer", "share/regimen/crontab",
            "lib/systemd/system/regimen-monitor.service", "lib/systemd/system/regimen-monitor.timer",
        ]
        for file in files {
            let size = (try? FileManager.default.attributesOfItem(atPath: prefix.path + "/" + file)[.size] as? Int) ?? 0
            #expect(size > 0, "\(file)")
        }
        for folder in ["models", "data", "weights/history", "logs"] {
            var isFolder: ObjCBool = false
            #expect(
                FileManager.default.fileExists(atPath: prefix.path + "/" + folder, isDirectory: &isFolder) && isFolder.boolValue)
        }
        let unit = try String(contentsOfFile: prefix.path + "/lib/systemd/system/regimen-infer.service", encoding: .utf8)
        #expect(unit.contains("ExecStart=/bin/sh -c 'exec \(prefix.path)/bin/regimen-infer --models models"), "\(unit)")
        #expect(unit.contains("WorkingDirectory=\(prefix.path)\n") && !unit.contains("@BIN@") && !unit.contains("@WORKDIR@"))
        let crontab = try String(contentsOfFile: prefix.path + "/share/regimen/crontab", encoding: .utf8)
        #expect(
            crontab.contains("cd \(prefix.path) && \(prefix.path)/bin/regimen-infer ") && crontab.contains("--allow-first-run"))
        #expect(crontab.contains("cd \(prefix.path) && \(prefix.path)/bin/regimen monitor "))
        let monitor = try String(contentsOfFile: prefix.path + "/lib/systemd/system/regimen-monitor.service", encoding: .utf8)
        #expect(monitor.contains("ExecStart=/bin/sh -c '\(prefix.path)/bin/regimen monitor ") && !monitor.contains("@BIN@"))
        let help = try Self.run(prefix.path + "/bin/regimen-infer", ["--help"])
        #expect(help.status == 0 && help.standardOutput.contains("--allow-first-run"))
        // Idempotent: every file unchanged, every folder there.
        let second = try Self.install(arguments)
        #expect(second.status == 0, "\(second.standardError)")
        #expect(
            !second.standardOutput.contains("(installed)") && !second.standardOutput.contains("(created)"),
            "\(second.standardOutput)")
    }

    @Test("no --prefix is refused (64); a --bin without the binaries is refused (66) before anything is installed")
    func refusals() throws {
        let directory = try Fixtures.temporaryDirectory()
        let noPrefix = try Self.install(["--bin", Executables.productsDirectory.path])
        #expect(noPrefix.status == 64 && noPrefix.standardError.contains("give --prefix DIR"))
        let prefix = directory.appendingPathComponent("p")
        let noBinaries = try Self.install(["--prefix", prefix.path, "--bin", directory.path])
        #expect(noBinaries.status == 66 && noBinaries.standardError.contains("regimen is missing"), "\(noBinaries.standardError)")
        #expect(!FileManager.default.fileExists(atPath: prefix.path + "/bin"))
    }
}
