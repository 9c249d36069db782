import ArgumentParser
import Foundation
import Market

#if canImport(Glibc)
    import Glibc
#endif

/// `regimen-bench infer`: cold start to written file of the `regimen-infer` executable (run
/// as a subprocess, as a scheduler does) on a synthetic market (default 20 assets x 3,000
/// days) with a small model trained first; reports wall seconds and the child's peak memory.
struct InferWorkload: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "infer", abstract: "Cold-start seconds and peak memory of regimen-infer writing one weights file.")

    @Option(help: "Assets of the synthetic market.") var assets: Int = 20
    @Option(help: "Daily periods of the synthetic market.") var periods: Int = 3000
    @OptionGroup var common: CommonOptions

    func run() throws {
        common.apply()
        let root = FileManager.default.temporaryDirectory.appendingPathComponent(
            "regimen-bench-infer-\(ProcessInfo.processInfo.processIdentifier)")
        defer { try? FileManager.default.removeItem(at: root) }
        let tools = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let executable = tools.appendingPathComponent("regimen-infer")
        // The market and the model are made by `regimen` in child processes, not here: a child
        // started by posix_spawn (vfork) inherits this process's peak memory in its
        // `ru_maxrss`, so this process must stay smaller than the job it measures (with the
        // training done in-process, the figure was this process's peak, not the job's).
        let data = root.appendingPathComponent("data")
        let config = root.appendingPathComponent("config.yaml")
        let models = root.appendingPathComponent("models")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try Data("epochs: 1\nsteps_per_epoch: 2\nregime_restarts: 1\n".utf8).write(to: config)
        let regimen = tools.appendingPathComponent("regimen").path
        try Self.run(
            regimen, ["data", "synth", "--out", data.path, "--assets", "\(assets)", "--periods", "\(periods)", "--seed", "1"])
        try Self.run(
            regimen,
            ["train", "--data", data.path, "--config", config.path, "--models", models.path, "--name", "bench", "--quiet"])
        let market = try DatasetReader.load(directory: data.path)
        let arguments = [
            "--models", models.path, "--model", "bench:1", "--data", data.path, "--as-of", market.dates.last!.description,
            "--out", root.appendingPathComponent("w.json").path,
        ]
        var peak = 0.0
        // posix_spawn and wait4 rather than Foundation's Process, whose exit polling adds
        // about 10 ms; wait4 also reports the child's own peak memory.
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable.path] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        defer { posix_spawn_file_actions_destroy(&actions) }
        let measurement = Measurement.time(repeats: common.repeats, steps: 1) {
            var pid: pid_t = 0
            guard posix_spawn(&pid, executable.path, &actions, nil, argv, environ) == 0 else { return }
            var status: Int32 = 0
            var usage = rusage()
            _ = wait4(pid, &status, 0, &usage)
            peak = max(peak, Double(usage.ru_maxrss) / 1024)
        }
        var line = measurement.fields(flopsPerStep: nil)
        line["workload"] = "infer"
        line["params"] = ["assets": assets, "periods": periods] as [String: Any]
        line["threads"] = common.threads
        line["peak_memory_mb"] = peak
        printJSONLine(line)
    }

    /// Runs a setup command to completion, failing on a non-zero exit.
    static func run(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ValidationError("\(executable) \(arguments.joined(separator: " ")) exited \(process.terminationStatus)")
        }
    }
}
