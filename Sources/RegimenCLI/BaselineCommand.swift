import ArgumentParser
import CommandSupport
import Artifacts
import Baselines
import Foundation
import Market
import Portfolio
import Support

extension BaselineName: ExpressibleByArgument {}

/// `regimen baseline --data DIR --strategy NAME --as-of DATE [--window N] --out FILE`.
struct BaselineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baseline", abstract: "One allocation of a baseline strategy, as a weights file.",
        discussion:
            "Strategies: \(BaselineName.allCases.map(\.rawValue).joined(separator: ", ")). Definitions: docs/contract.md (baselines)."
    )

    @Option(help: "The dataset directory.") var data: String
    @Option(help: "The baseline: \(BaselineName.allCases.map(\.rawValue).joined(separator: ", ")).") var strategy: BaselineName
    @Option(name: .customLong("as-of"), help: "The decision date (YYYY-MM-DD): data after it is never read.") var asOf: String
    @Option(help: "Returns in the estimation window.") var window: Int = 90
    @Option(help: "The weights file to write.") var out: String?
    @Flag(help: "Write the weights file to standard output instead of --out.") var json = false

    func validate() throws {
        try OptionRange.check(window, in: OptionRange.window, option: "--window")
        guard (out != nil) != json else { throw ValidationError("give exactly one of --out FILE and --json") }
        if strategy.usesHindsight {
            throw ValidationError("bcrp chooses with hindsight of the whole range; it exists for backtests and evaluation only")
        }
        guard Timestamp(parsing: asOf) != nil else { throw ValidationError("--as-of must be a date YYYY-MM-DD; found '\(asOf)'") }
    }

    func run() throws {
        try withExitStatus {
            let full = try DatasetReader.load(directory: data)
            guard let row = full.row(at: Timestamp(parsing: asOf)!) else {
                throw CommandFailure(
                    description: "--as-of \(asOf) is not a date of \(data)/prices.csv", status: ExitStatus.badData)
            }
            let view = full.view(throughRow: row)
            let market = view.history
            let allocation = try Baseline(strategy, window: window).allocate(view)
            for warning in allocation.warnings { printNote("warning: \(warning)") }
            let file = WeightsFile(
                allocation: allocation, market: market, row: row, source: .init(kind: "baseline", name: strategy.rawValue),
                window: window)
            let bytes = try CanonicalJSON.encode(file)
            if json {
                FileHandle.standardOutput.write(bytes)
            } else if let out {
                try AtomicFile.write(bytes, to: URL(fileURLWithPath: out))
                printNote("wrote \(out): \(strategy.rawValue) at \(file.asOf)")
            }
        }
    }
}
