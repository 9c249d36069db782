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
            request.ranges = try stressRanges.map { try parseRange($0, dataset) }
            request.shocks = try shock.map(parseShock)
            guard let overlay = file.overlayPositions else {
                throw CommandFailure(description: "\(weights): the overlay cannot be read", status: ExitStatus.badData)
            }
            request.overlay = overlay
            request.scenarios = try scenario.map(parseScenario)
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

    private func parseScenario(_ text: String) throws -> (name: String, spotMove: Double, volPoints: Double) {
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        let moves = parts.count == 2 ? parts[1].split(separator: ":").map(String.init) : []
        guard parts.count == 2, !parts[0].isEmpty, moves.count == 2,
            let spot = DecimalNumber.parse(moves[0]), spot > -1, spot <= 10,
            let volatility = DecimalNumber.parse(moves[1]), Swift.abs(volatility) <= 500
        else {
            throw ValidationError(
                "--scenario must be NAME=SPOT_MOVE:VOL_POINTS with SPOT_MOVE in (-1, 10] and |VOL_POINTS| <= 500, e.g. crash=-0.5:+60; found '\(text)'"
            )
        }
        return (parts[0], spot, volatility)
    }

    private func parseRange(_ text: String, _ dataset: Dataset) throws -> (name: String, from: Int, to: Int) {
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        let dates = parts.count == 2 ? parts[1].components(separatedBy: "..") : []
        guard parts.count == 2, dates.count == 2, let from = Timestamp(parsing: dates[0]), let to = Timestamp(parsing: dates[1])
        else {
            throw ValidationError("--stress-range must be NAME=YYYY-MM-DD..YYYY-MM-DD; found '\(text)'")
        }
        guard let first = dataset.row(at: from), let last = dataset.row(at: to), first < last else {
            throw ValidationError("--stress-range \(text): both dates must be dates of prices.csv, the first before the second")
        }
        return (parts[0], first, last)
    }

    private func parseShock(_ text: String) throws -> (asset: String, move: Double) {
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, let move = Double(parts[1]), move > -1, move.isFinite else {
            throw ValidationError("--shock must be ASSET=MOVE with MOVE a fraction above -1 (e.g. BTC=-0.3); found '\(text)'")
        }
        return (parts[0], move)
    }
}
