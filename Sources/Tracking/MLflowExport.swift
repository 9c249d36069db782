import Foundation
import Support

/// Logs sweep runs to MLflow (contract section 9, `regimen sweep export-mlflow`): one MLflow
/// run per sweep run, with its params (the grid point, seed, fold), metrics, and tags
/// `regimen.run_id`, `regimen.sweep`, `regimen.code_revision`; and one run holding the
/// summary as an artifact. Idempotent: a run whose `regimen.run_id` tag is already in the
/// experiment is not logged again.
package struct MLflowExport {
    /// One run to log.
    package struct Run: Sendable {
        package let id: String
        package let params: [String: String]
        package let metrics: [String: Double]
        package let failed: Bool

        package init(id: String, params: [String: String], metrics: [String: Double], failed: Bool) {
            self.id = id
            self.params = params
            self.metrics = metrics
            self.failed = failed
        }
    }

    package let client: MLflowClient
    package let experiment: String
    package let sweep: String
    package let codeRevision: String

    package init(client: MLflowClient, experiment: String, sweep: String, codeRevision: String) {
        self.client = client
        self.experiment = experiment
        self.sweep = sweep
        self.codeRevision = codeRevision
    }

    /// The experiment's id, created when it does not exist.
    package func experimentID() throws(MLflowClient.Failure) -> String {
        if let found = try client.call("mlflow/experiments/get-by-name", query: ["experiment_name": experiment]),
            case .object(let fields)? = found["experiment"], case .string(let id)? = fields["experiment_id"]
        {
            return id
        }
        guard let created = try client.call("mlflow/experiments/create", body: .object(["name": .string(experiment)])),
            case .string(let id)? = created["experiment_id"]
        else { throw MLflowClient.Failure(description: "MLflow did not create the experiment \(experiment)") }
        return id
    }

    /// The MLflow run id of the run tagged `regimen.run_id = id`, if any.
    package func existing(_ id: String, experimentID: String) throws(MLflowClient.Failure) -> String? {
        let answer = try client.call(
            "mlflow/runs/search",
            body: .object([
                "experiment_ids": .array([.string(experimentID)]),
                "filter": .string("tags.`regimen.run_id` = '\(id)'"), "max_results": .number(1),
            ]))
        guard case .array(let runs)? = answer?["runs"], case .object(let run)? = runs.first,
            case .object(let info)? = run["info"],
            case .string(let runID)? = info["run_id"]
        else { return nil }
        return runID
    }

    /// Logs `runs` not yet in the experiment, then the summary (when given); returns how many
    /// were new.
    package func export(_ runs: [Run], summary: Data?, kind: String = "run") throws(MLflowClient.Failure) -> (
        logged: Int, skipped: Int
    ) {
        let experimentID = try experimentID()
        var logged = 0
        for run in runs {
            guard try existing(run.id, experimentID: experimentID) == nil else { continue }
            let runID = try create(
                run.id, experimentID: experimentID, name: "run-\(run.id)",
                tags: ["regimen.kind": kind, "regimen.failed": run.failed ? "true" : "false"])
            let params = run.params.sorted { $0.key < $1.key }.map {
                JSONValue.object(["key": .string($0.key), "value": .string($0.value)])
            }
            let metrics = run.metrics.sorted { $0.key < $1.key }.filter { $0.value.isFinite }.map {
                JSONValue.object([
                    "key": .string($0.key), "value": .number($0.value), "timestamp": .number(0), "step": .number(0),
                ])
            }
            _ = try client.call(
                "mlflow/runs/log-batch",
                body: .object(["run_id": .string(runID), "params": .array(params), "metrics": .array(metrics)]))
            try finish(runID, failed: run.failed)
            logged += 1
        }
        guard let summary else { return (logged, runs.count - logged) }
        let summaryID = "summary-" + String(SHA256.hex(SHA256.digest(Array(summary))).prefix(16))
        if try existing(summaryID, experimentID: experimentID) == nil {
            let runID = try create(summaryID, experimentID: experimentID, name: "summary", tags: ["regimen.kind": "summary"])
            try client.upload(summary, experimentID: experimentID, runID: runID, name: "summary.json")
            try finish(runID, failed: false)
        }
        return (logged, runs.count - logged)
    }

    private func create(_ id: String, experimentID: String, name: String, tags: [String: String]) throws(MLflowClient.Failure)
        -> String
    {
        var all = tags
        all["regimen.run_id"] = id
        all["regimen.sweep"] = sweep
        all["regimen.code_revision"] = codeRevision
        let answer = try client.call(
            "mlflow/runs/create",
            body: .object([
                "experiment_id": .string(experimentID), "run_name": .string(name),
                "start_time": .number((Date().timeIntervalSince1970 * 1000).rounded()),
                "tags": .array(
                    all.sorted { $0.key < $1.key }.map { .object(["key": .string($0.key), "value": .string($0.value)]) }),
            ]))
        guard case .object(let run)? = answer?["run"], case .object(let info)? = run["info"],
            case .string(let runID)? = info["run_id"]
        else { throw MLflowClient.Failure(description: "MLflow did not create a run for \(id)") }
        return runID
    }

    private func finish(_ runID: String, failed: Bool) throws(MLflowClient.Failure) {
        _ = try client.call(
            "mlflow/runs/update",
            body: .object([
                "run_id": .string(runID), "status": .string(failed ? "FAILED" : "FINISHED"),
                "end_time": .number((Date().timeIntervalSince1970 * 1000).rounded()),
            ]))
    }
}
