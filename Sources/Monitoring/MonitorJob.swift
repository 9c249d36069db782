import Artifacts
import Backtest
import Features
import Foundation
import Market
import ModelStore
import Policy
import Portfolio
import Support

/// `regimen monitor` (contract section 12): reads the daily job's weights history, measures
/// live returns, parity, feature drift, regimes and limits, and writes `monitor.json` and
/// `monitor.html` into `--out` (made when missing). Every input is read and every figure computed before the
/// first write; both files go through `AtomicFile`, the page after the JSON.
package enum MonitorJob {
    /// What to monitor.
    package struct Plan: Sendable {
        package var models: String
        package var model: ModelRegistry.Reference
        package var data: String
        package var history: String
        package var out: String
        /// Data rows in the drift, regime and limits window.
        package var window = 30
        /// The daily job's limits file, so a job run under limits replays exactly.
        package var limits: String?

        package init(models: String, model: ModelRegistry.Reference, data: String, history: String, out: String) {
            self.models = models
            self.model = model
            self.data = data
            self.history = history
            self.out = out
        }
    }

    /// An output folder that cannot be made (66; a parent that is a file, no permission).
    package struct Failure: ReportableError {
        package let description: String
        package let exitStatus: Int32
    }

    /// The exit status of `--fail-on-alert` when there is an alert (contract section 2).
    package static let alertStatus: Int32 = 10
    /// A PSI above it is a drift alert (contract section 12).
    package static let driftThreshold = 0.25
    /// A parity difference above it is an alert: replays are exact, so any difference is a
    /// restatement.
    package static let parityThreshold = 0.0

    /// Runs the monitor and writes both files.
    /// - Returns: the report written.
    /// - Throws: a file given as `--out` (64, before any work); the failures of its inputs
    ///   with their statuses (65 bad data, history file or limits; 66 missing history, data
    ///   or model), or an `AtomicFile.WriteError`.
    package static func run(_ plan: Plan) throws -> MonitorReport {
        try OutputFolder.check(plan.out, option: "--out", purpose: "monitor.json and monitor.html")
        let report = try measure(plan)
        let folder = URL(fileURLWithPath: plan.out)
        let json = folder.appendingPathComponent("monitor.json")
        let html = folder.appendingPathComponent("monitor.html")
        do { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) } catch {
            throw Failure(description: "--out \(folder.path): cannot make the folder", exitStatus: ExitStatus.missingInput)
        }
        try AtomicFile.checkDestination(json)
        try AtomicFile.checkDestination(html)
        try AtomicFile.write(try CanonicalJSON.encode(report), to: json)
        try AtomicFile.write(Data(MonitorHTML.render(report).utf8), to: html)
        return report
    }

    /// Every figure of the report, with nothing written.
    package static func measure(_ plan: Plan) throws -> MonitorReport {
        let history = try WeightsHistory(folder: plan.history)
        let registry = ModelRegistry(root: URL(fileURLWithPath: plan.models))
        let (allocator, manifest) = try PolicyModel.load(plan.model, from: registry)
        let market = try DatasetReader.load(directory: plan.data)
        let limits = try plan.limits.map { try RiskLimits.read($0) } ?? RiskLimits()
        let rows = try history.rows(in: market)
        let weights = try history.entries.map { entry throws(WeightsHistory.Failure) in
            try WeightsHistory.weights(of: entry, in: market)
        }
        let version = "\(manifest.name):\(manifest.version)"
        let days = try Parity.days(history, market: market, rows: rows, limits: limits) { reference in
            reference.description == version ? allocator : try PolicyModel.load(reference, from: registry).allocator
        }
        let live = try LiveReplay.run(market, rows: rows, weights: weights, name: "live \(plan.model)")
        let window = max(0, rows.last! - plan.window + 1)...rows.last!
        let train = trainingRows(manifest, market: market)
        let table = FeatureBuilder.compute(market, spec: allocator.spec)
        let inWindow = zip(history.entries, rows).filter { window.contains($0.1) }.map(\.0.file)
        let drift = FeatureDrift.features(table, train: train, window: window)
        let regimes = RegimeShares.labels(
            window: inWindow.map { $0.regime?.label }, model: allocator.regimeModel, market: market, table: table, train: train)
        return MonitorReport(
            model: version,
            history: .init(from: history.entries.first!.file.asOf, to: history.entries.last!.file.asOf, count: rows.count),
            window: .init(
                from: market.dates[window.lowerBound].description, to: market.dates[window.upperBound].description,
                count: window.count),
            train: train.map {
                .init(
                    from: market.dates[$0.lowerBound].description, to: market.dates[$0.upperBound].description,
                    count: $0.count)
            },
            live: live, parity: parityBlock(days), drift: .init(threshold: driftThreshold, features: drift), regimes: regimes,
            limits: .init(files: inWindow.count, binding: bindingCounts(inWindow)), alerts: alerts(days: days, drift: drift))
    }

    /// The data rows within the manifest's training range, nil when it holds none.
    static func trainingRows(_ manifest: ModelManifest, market: Dataset) -> ClosedRange<Int>? {
        guard let from = Timestamp(parsing: manifest.train.from), let to = Timestamp(parsing: manifest.train.to),
            let first = market.dates.firstIndex(where: { $0 >= from }),
            let last = market.dates.lastIndex(where: { $0 <= to }), first <= last
        else { return nil }
        return first...last
    }

    /// How many of `files` each limit bound in.
    static func bindingCounts(_ files: [WeightsFile]) -> [String: Int] {
        files.reduce(into: [:]) { counts, file in
            for name in Set(file.limits.binding) { counts[name, default: 0] += 1 }
        }
    }

    /// The parity block of the replayed days.
    static func parityBlock(_ days: [Parity.Day]) -> MonitorReport.ParityBlock {
        let largest = days.filter { $0.maxAbsDifference != nil }.max { $0.maxAbsDifference! < $1.maxAbsDifference! }
        let differs = days.first { ($0.maxAbsDifference ?? .infinity) > parityThreshold }
        let worst = (largest?.maxAbsDifference ?? 0) > 0 ? largest : nil
        return .init(
            maxAbsDifference: largest?.maxAbsDifference ?? 0, date: worst?.date, asset: worst?.asset,
            firstDifference: differs?.date, days: days)
    }

    /// The alerts: each date that differs or is refused, each feature above the threshold.
    static func alerts(days: [Parity.Day], drift: [FeatureDrift.Feature]) -> [MonitorReport.Alert] {
        let parity = days.filter { ($0.maxAbsDifference ?? .infinity) > parityThreshold }.map {
            MonitorReport.Alert(kind: "parity", subject: $0.date, value: $0.maxAbsDifference, threshold: parityThreshold)
        }
        let features = drift.filter { ($0.psi ?? 0) > driftThreshold }.map {
            MonitorReport.Alert(kind: "drift", subject: $0.feature, value: $0.psi, threshold: driftThreshold)
        }
        return parity + features
    }
}
