import ArgumentParser
import CommandSupport
import Artifacts
import Foundation
import Market
import Risk
import Support

extension CovarianceEstimator: ExpressibleByArgument {}

/// `regimen risk --data DIR --weights FILE [--as-of D] [--window N] [--confidence 0.99]
/// [--estimator sample|ewma|ledoit-wolf] --out FILE`.
struct RiskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "risk",
        abstract:
            "Risk of fixed weights: VaR and ES (historical, Gaussian, Cornish-Fisher), volatility, covariance, stress tests.",
        discussion: """
            Portfolio returns apply the fixed weights on every row of the window (a constant mix; cash earns 0). \
            A horizon h > 1 uses overlapping h-period returns for the historical and Cornish-Fisher figures and \
            sqrt(h) scaling for the Gaussian ones.
            """)

    @Option(help: "The dataset directory.") var data: String
    @Option(help: "A weights file (regimen.weights/v1).") var weights: String
    @Option(name: .customLong("as-of"), help: "The last date of the window (default: the weights file's as_of).") var asOf:
        String?
    @Option(help: "Returns in the window.") var window: Int = 90
    @Option(help: "Confidence of VaR and ES (0.99, not 99).") var confidence: Double = 0.99
    @Option(help: "Horizon in periods.") var horizon: Int = 1
    @Option(help: "Covariance estimator: sample, ewma, ledoit-wolf.") var estimator: CovarianceEstimator = .sample
    @Option(name: .customLong("stress-range"), help: "A historical window to replay, NAME=YYYY-MM-DD..YYYY-MM-DD (repeatable).")
    var stressRanges: [String] = []
    @Option(help: "A hypothetical move of one held asset, ASSET=-0.3 (repeatable; default: the largest weight -30%).")
    var shock: [String] = []
    @Option(
        help:
            "A full-revaluation scenario for a weights file with an options overlay, NAME=SPOT_MOVE:VOL_POINTS, e.g. crash=-0.5:+60 (repeatable)."
    )
    var scenario: [String] = []
    @Option(help: "The risk file to write.") var out: String?
    @Flag(help: "Write the risk file to standard output instead of --out.") var json = false

    func validate() throws {
        try OptionRange.check(window, in: OptionRange.window, option: "--window")
        try OptionRange.check(confidence, in: OptionRange.confidence, option: "--confidence")
        try OptionRange.check(horizon, in: OptionRange.horizon, option: "--horizon")
        guard (out != nil) != json else { throw ValidationError("give exactly one of --out FILE and --json") }
    }

    func run() throws {
        try withExitStatus {
            let file: WeightsFile
            file = try WeightsFile.read(weights)
            let dataset = try DatasetReader.load(directory: data)
            let dateText = asOf ?? file.asOf
            guard let date = Timestamp(parsing: dateText) else {
                throw CommandFailure(description: "as-of date '\(dateText)' is not YYYY-MM-DD", status: asOf == nil ? 65 : 64)
            }
            guard let row = dataset.row(at: date) else {
                throw CommandFailure(
                    description: "as-of \(dateText) is not a date of \(data)/prices.csv", status: ExitStatus.badData)
            }
            var request = RiskReport.Request(weights: file.weights, asOfRow: row)
            request.window = window
            request.confidence = confidence
            request.horizon = horizon
            request.estimator = estimator
            request.ranges = try stressRanges.map { try RiskReport.Request.stressRange(parsing: $0, in: dataset) }
            request.shocks = try shock.map { try RiskReport.Request.shock(parsing: $0) }
            guard let overlay = file.overlayPositions else {
                throw CommandFailure(description: "\(weights): the overlay cannot be read", status: ExitStatus.badData)
            }
            request.overlay = overlay
            request.scenarios = try scenario.map { try RiskReport.Request.scenario(parsing: $0) }
            if !scenario.isEmpty && overlay.isEmpty {
                throw CommandFailure(
                    description: "--scenario revalues an options overlay; \(weights) holds none", status: ExitStatus.usage)
            }
            let report = try RiskReport.make(dataset, request)
            for warning in report.warnings { printNote("warning: \(warning)") }
            let bytes = try CanonicalJSON.encode(report)
            if json {
                FileHandle.standardOutput.write(bytes)
            } else if let out {
                try AtomicFile.write(bytes, to: URL(fileURLWithPath: out))
                printNote(
                    "wrote \(out): \(report.asOf), window \(window), VaR \(report.valueAtRisk.historical) (historical, \(confidence))"
                )
            }
        }
    }
}
