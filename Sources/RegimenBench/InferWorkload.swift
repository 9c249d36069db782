import ArgumentParser
import Foundation
import Market
import ModelStore
import Policy
import Training

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
        let data = root.appendingPathComponent("data")
        try SyntheticMarket(assets: assets, periods: periods, seed: 1).files.write(to: data)
        let market = try DatasetReader.load(directory: data.path)
        var config = TrainingConfig()
        config.epochs = 1
        config.stepsPerEpoch = 2
        config.regimeRestarts = 1
        let outcome = try PolicyTrainer.train(market, config: config, name: "bench")
        let registry = ModelRegistry(root: root.appendingPathComponent("models"))
        _ = try ModelPublisher.publish(
            outcome, config: config, name: "bench", dataset: market, dataDirectory: data.path, registry: registry)
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("regimen-infer")
        let arguments = [
            "--models", registry.root.path, "--model", "bench:1", "--data", data.path, "--as-of", market.dates.last!.description,
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
}
