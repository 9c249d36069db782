import Foundation
import Support
import Tracking

extension SweepSession {
    /// Logs every run of `outputDirectory/runs.jsonl` and the folder's `summary.json` to the
    /// MLflow server at `trackingURI` (`regimen sweep export-mlflow`); exporting twice adds
    /// nothing.
    /// - Returns: the runs logged now and those already there.
    /// - Throws: `Problem` (66) when `runs.jsonl` holds no runs.
    package static func exportToMLflow(
        outputDirectory: String, trackingURI: URL, experiment: String
    ) throws -> (logged: Int, skipped: Int) {
        let folder = URL(fileURLWithPath: outputDirectory)
        let results = finished(in: folder.appendingPathComponent("runs.jsonl"))
        guard !results.isEmpty else {
            throw Problem(description: "\(outputDirectory)/runs.jsonl holds no runs", exitStatus: ExitStatus.missingInput)
        }
        let summary = try InputFile.data(folder.appendingPathComponent("summary.json").path, limit: InputFile.dataLimit)
        let runs = results.map { result in
            var params = result.params.mapValues { value -> String in
                if case .string(let text) = value { return text }
                return (try? CanonicalJSON.encodeLine(value)) ?? "\(value)"
            }
            params["seed"] = "\(result.seed)"
            params["fold"] = "\(result.fold)"
            return MLflowExport.Run(
                id: result.runID, params: params, metrics: result.metrics ?? [:], failed: result.error != nil)
        }
        let export = MLflowExport(
            client: MLflowClient(trackingURI: trackingURI), experiment: experiment,
            sweep: folder.standardized.lastPathComponent, codeRevision: CodeRevision.ofExecutable)
        return try export.export(runs, summary: summary)
    }
}
