import Foundation
import Support
import Tracking

extension SweepSession {
    /// Logs the sweep of `outputDirectory` to the MLflow server at `trackingURI` (`regimen
    /// sweep export-mlflow`): one parent run named after the folder, holding `summary.json`
    /// (and `report.html` when there is one) as artifacts, with every run of `runs.jsonl`
    /// nested under it; exporting twice adds nothing.
    /// - Returns: the runs logged now and those already there.
    /// - Throws: `Problem` (66) when `runs.jsonl` holds no runs, (65) when a line of it is not
    ///   a finished run; both before the first call to the server. `MLflowExport.Conflict`
    ///   (64) when the experiment holds another sweep of the folder's name.
    package static func exportToMLflow(
        outputDirectory: String, trackingURI: URL, experiment: String
    ) throws -> (logged: Int, skipped: Int) {
        let folder = URL(fileURLWithPath: outputDirectory)
        let results = try exportable(folder.appendingPathComponent("runs.jsonl"), shownAs: "\(outputDirectory)/runs.jsonl")
        let summary = try InputFile.data(folder.appendingPathComponent("summary.json").path, limit: InputFile.dataLimit)
        var artifacts = [(name: "summary.json", data: summary)]
        let report = folder.appendingPathComponent("report.html").path
        if InputFile.exists(report) { artifacts.append(("report.html", try InputFile.data(report, limit: InputFile.dataLimit))) }
        let runs = results.map { result in
            var params = result.params.mapValues(\.text)
            params["seed"] = "\(result.seed)"
            params["fold"] = "\(result.fold)"
            if let aum = result.aum { params["aum"] = "\(aum)" }
            return MLflowExport.Run(
                id: result.runID, params: params, metrics: result.metrics ?? [:], failed: result.error != nil)
        }
        let export = MLflowExport(
            client: MLflowClient(trackingURI: trackingURI), experiment: experiment,
            sweep: folder.standardized.lastPathComponent, codeRevision: CodeRevision.ofExecutable)
        return try export.exportSweep(runs, artifacts: artifacts)
    }

    /// Every run of `file` (named `name` in messages), each line checked before any is
    /// exported: unlike a resumed sweep, which drops a damaged line and reruns its run, an
    /// export must not leave a run out silently.
    /// - Throws: `Problem` (66) when the file is missing or holds no runs; (65) naming the
    ///   first line that is not a finished run (cut short, not JSON, a NaN, empty).
    static func exportable(_ file: URL, shownAs name: String) throws -> [SweepResult] {
        let noRuns = Problem(description: "\(name) holds no runs", exitStatus: ExitStatus.missingInput)
        guard InputFile.exists(file.path) else { throw noRuns }
        var lines = try InputFile.text(file.path, limit: 1 << 30).split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        guard !lines.isEmpty else { throw noRuns }
        return try lines.enumerated().map { index, line in
            do { return try JSONDecoder().decode(SweepResult.self, from: Data(line.utf8)) } catch {
                let reason = line.isEmpty ? "it is empty" : String(SweepSpec.describe(error).prefix(200))
                throw Problem(
                    description:
                        "\(name): line \(index + 1) is not a finished run (\(reason)); nothing was exported. A sweep killed mid-line leaves such a line: rerun the sweep on this folder to redo that run",
                    exitStatus: ExitStatus.badData)
            }
        }
    }
}
