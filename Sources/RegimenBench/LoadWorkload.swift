import ArgumentParser
import Foundation
import Market

/// `regimen-bench load`: reading and validating a dataset directory (by default a synthetic
/// 20-asset, 10-year daily market written to a temporary folder first).
struct LoadWorkload: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load", abstract: "Seconds to read and validate a dataset directory.")

    @Option(help: "A dataset directory to load; default: a synthetic market of --assets and --periods.")
    var data: String?
    @Option(help: "Assets of the synthetic market.") var assets: Int = 20
    @Option(help: "Daily periods of the synthetic market.") var periods: Int = 3650
    @OptionGroup var common: CommonOptions

    func validate() throws {
        guard assets >= 2, periods >= 30 else { throw ValidationError("--assets must be at least 2 and --periods at least 30") }
    }

    func run() throws {
        common.apply()
        var directory = data
        var temporary: URL?
        if directory == nil {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent(
                "regimen-bench-load-\(ProcessInfo.processInfo.processIdentifier)")
            try SyntheticMarket(assets: assets, periods: periods, seed: 1).files.write(to: url)
            directory = url.path
            temporary = url
        }
        defer { if let temporary { try? FileManager.default.removeItem(at: temporary) } }
        let dataset = try DatasetReader.load(directory: directory!)
        let measurement = Measurement.time(repeats: common.repeats, steps: 1) {
            _ = try? DatasetReader.load(directory: directory!)
        }
        var line = measurement.fields(flopsPerStep: nil)
        line["workload"] = "load"
        line["params"] =
            ["assets": dataset.assets.count, "periods": dataset.rowCount, "data": data ?? "synthetic"] as [String: Any]
        line["threads"] = common.threads
        printJSONLine(line)
    }
}
