import Foundation
import Support
import TestSupport
import Testing

/// `kill -9` at random moments, as a power cut or an OOM killer would: the weights file is
/// always the old or the new complete file, and the registry never holds a half version.
@Suite("kill -9 loops", .serialized)
struct KillLoopTests {
    /// Starts `name` with `arguments`, kills it with SIGKILL after `delay` seconds (if it is
    /// still running), and waits for it.
    static func runAndKill(_ name: String, _ arguments: [String], after delay: TimeInterval) throws {
        let process = Process()
        process.executableURL = Executables.productsDirectory.appendingPathComponent(name)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        Thread.sleep(forTimeInterval: delay)
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    @Test("regimen-infer killed while replacing a weights file leaves the old or the new file, whole")
    func inferKilled() throws {
        let world = try HostileWorld.make()
        let out = world.out.appendingPathComponent("weights.json")
        let command = { (asOf: String) in
            ["--models", world.models.path, "--model", "tiny:1", "--data", world.data.path, "--as-of", asOf, "--out", out.path]
        }
        let clock = ContinuousClock()
        var status: Int32 = -1
        let elapsed = try clock.measure { status = try Executables.run("regimen-infer", command("2019-01-21")).status }
        #expect(status == 0)
        // Kill anywhere from the start to well past a whole run, whatever the machine's speed.
        let runSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let new = try Data(contentsOf: out)
        #expect(try Executables.run("regimen-infer", command("2019-01-20")).status == 0)
        let old = try Data(contentsOf: out)
        #expect(old != new)
        var generator = SeededGenerator(seed: 12)
        var outcomes: Set<String> = []
        for _ in 0..<40 {
            try old.write(to: out)
            try Self.runAndKill("regimen-infer", command("2019-01-21"), after: generator.nextUnitInterval() * 1.5 * runSeconds)
            let found = try Data(contentsOf: out)
            #expect(found == old || found == new, "a torn weights file: \(found.count) bytes")
            outcomes.insert(found == new ? "new" : "old")
        }
        // Negative control of the loop itself: some kills came too late to stop the write.
        #expect(outcomes.contains("new"))
    }

    @Test("regimen train killed while publishing leaves only whole, loadable versions")
    func trainKilled() throws {
        let world = try HostileWorld.make()
        let arguments = [
            "train", "--data", world.data.path, "--config", world.config.path, "--models", world.models.path, "--quiet",
        ]
        var generator = SeededGenerator(seed: 5)
        for _ in 0..<12 {
            try Self.runAndKill("regimen", arguments, after: 0.2 + generator.nextUnitInterval() * 1.5)
        }
        let folder = world.models.appendingPathComponent("tiny")
        let versions = try FileManager.default.contentsOfDirectory(atPath: folder.path).compactMap(Int.init).sorted()
        #expect(versions.first == 1)
        for version in versions {
            let show = try Executables.run("regimen", ["models", "show", "tiny:\(version)", "--models", world.models.path])
            #expect(show.status == 0, "tiny:\(version) is not whole: \(show.standardError)")
        }
        // A run after the kills resumes or starts over and publishes the next version.
        let finished = try Executables.run("regimen", arguments)
        #expect(finished.standardOutput.hasSuffix("tiny:\((versions.last ?? 0) + 1)\n"), "\(finished.standardError)")
    }
}
