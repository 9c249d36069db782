import ArgumentParser
import CommandSupport
import Artifacts
import Baselines
import Foundation
import Market
import Portfolio
import Support

/// `regimen baseline --data DIR --strategy NAME --as-of DATE [--window N] --out FILE`.
struct BaselineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baseline", abstract: "One allocation of a baseline strategy, as a weights file.",
        discussion:
            "Strategies: \(BaselineName.allCases.map(\.rawValue).joined(separator: ", ")); the covariance-based ones also as NAME:sample (= NAME), NAME:ewma or NAME:ledoit-wolf. Definitions: docs/contract.md (baselines)."
    )

    @Option(help: "The dataset directory.") var data: String
    @Option(
        help: "The baseline: NAME or NAME:ESTIMATOR (see the discussion).",
        completion: .list(BaselineSpec.validForms))
    var strategy: String
    @Option(name: .customLong("as-of"), help: "The decision date (YYYY-MM-DD): data after it is never read.") var asOf: String
    @Option(help: "Returns in the estimation window.") var window: Int = 90
    @Option(help: "The weights file to write.") var out: String?
    @Flag(help: "Write the weights file to standard output instead of --out.") var json = false

    func validate() throws {
        try OptionRange.check(window, in: OptionRange.window, option: "--window")
        guard (out != nil) != json else { throw ValidationError("give exactly one of --out FILE and --json") }
        let spec: BaselineSpec
        do { spec = try BaselineSpec(parsing: strategy) } catch { throw ValidationError("--strategy: \(error)") }
        if spec.rule.usesHindsight {
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
            let baseline = Baseline(try BaselineSpec(parsing: strategy), window: window)
            let allocation = try baseline.allocate(view)
            for warning in allocation.warnings { printNote("warning: \(warning)") }
            let file = WeightsFile(
                allocation: allocation, market: market, row: row, source: .init(kind: "baseline", name: baseline.name),
                window: window)
            let bytes = try CanonicalJSON.encode(file)
            if json {
                FileHandle.standardOutput.write(bytes)
            } else if let out {
                try AtomicFile.write(bytes, to: URL(fileURLWithPath: out))
                printNote("wrote \(out): \(baseline.name) at \(file.asOf)")
            }
        }
    }
}
