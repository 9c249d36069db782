import Foundation
import Support

/// Logs runs to MLflow (contract section 9). A sweep (`regimen sweep export-mlflow`) is one
/// parent run holding the sweep's summary as artifacts, with every sweep run nested under it
/// (tag `mlflow.parentRunId`, as MLflow's own tuning integrations log them); a training
/// (`regimen train --mlflow`) is one run of its own. Every run has its params, metrics and
/// tags `regimen.run_id`, `regimen.sweep`, `regimen.code_revision`. Idempotent: a run whose
/// `regimen.run_id` is already logged (under the sweep's parent) is not logged again.
package struct MLflowExport {
    /// One run to log: its final metrics (step 0) and any metric history (step-indexed).
    package struct Run: Sendable {
        package let id: String
        package let params: [String: String]
        package let metrics: [String: Double]
        package let history: [MLflowClient.Metric]
        package let failed: Bool

        package init(
            id: String, params: [String: String], metrics: [String: Double], history: [MLflowClient.Metric] = [],
            failed: Bool
        ) {
            self.id = id
            self.params = params
            self.metrics = metrics
            self.history = history
            self.failed = failed
        }
    }

    /// The experiment already holds a sweep of the same name whose runs are not this sweep's
    /// (64): nesting this one under it would mix two sweeps.
    package struct Conflict: ReportableError {
        package let description: String
        package var exitStatus: Int32 { ExitStatus.usage }
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

    /// The `regimen.run_id` of the sweep's parent run: a hash of the sweep's name, so that
    /// it is the same at every export and safe inside a search filter.
    var parentKey: String { "sweep-" + SHA256.hex(SHA256.digest(Array(sweep.utf8))).prefix(16) }

    /// Logs the sweep: finds or starts its parent run, nests under it every run of `runs` not
    /// yet there, uploads `artifacts` (file name -> bytes) to the parent, and ends it.
    /// - Returns: the runs logged now and those already there.
    /// - Throws: `Conflict` (64) before logging anything when the parent holds runs that are
    ///   not in `runs` (another sweep of the same name); `MLflowClient.Failure` (70).
    package func exportSweep(_ runs: [Run], artifacts: [(name: String, data: Data)]) throws -> (logged: Int, skipped: Int) {
        let experimentID = try client.experimentID(named: experiment)
        let parent = try parentRun(experimentID: experimentID)
        let children = try client.searchRuns(experimentID: experimentID, filter: "tags.`mlflow.parentRunId` = '\(parent.id)'")
        let nested = Set(children.compactMap { $0.tags["regimen.run_id"] })
        let wanted = Set(runs.map(\.id))
        if let foreign = nested.subtracting(wanted).sorted().first {
            throw Conflict(
                description:
                    "MLflow experiment \(experiment) already holds a sweep named '\(sweep)' with \(nested.subtracting(wanted).count) run(s) not in this folder's runs.jsonl (run \(foreign) among them): another sweep's; give another --experiment or rename the folder (nothing was exported)"
            )
        }
        var logged = 0
        for run in runs where !nested.contains(run.id) {
            if try adoptLegacy(run.id, experimentID: experimentID, parentID: parent.id) { continue }
            try log(run, experimentID: experimentID, tags: ["regimen.kind": "run", "mlflow.parentRunId": parent.id])
            logged += 1
        }
        for artifact in artifacts {
            try client.upload(artifact.data, artifactURI: parent.artifactURI, name: artifact.name)
        }
        try client.finish(runID: parent.id, failed: false)
        return (logged, runs.count - logged)
    }

    /// Logs `run` as a run of its own (tag `regimen.kind` = `kind`) unless a run with its
    /// `regimen.run_id` is in the experiment.
    /// - Returns: whether it was logged now.
    package func logSingle(_ run: Run, kind: String) throws(MLflowClient.Failure) -> Bool {
        let experimentID = try client.experimentID(named: experiment)
        let filter = "tags.`regimen.run_id` = '\(run.id)'"
        guard try client.searchRuns(experimentID: experimentID, filter: filter).isEmpty else { return false }
        try log(run, experimentID: experimentID, tags: ["regimen.kind": kind])
        return true
    }

    /// The sweep's parent run, started (tag `regimen.kind` = `sweep`) when the experiment
    /// has none.
    func parentRun(experimentID: String) throws(MLflowClient.Failure) -> MLflowClient.CreatedRun {
        let filter = "tags.`regimen.run_id` = '\(parentKey)'"
        if let found = try client.searchRuns(experimentID: experimentID, filter: filter).first {
            return MLflowClient.CreatedRun(id: found.id, artifactURI: found.artifactURI)
        }
        return try client.createRun(experimentID: experimentID, name: sweep, tags: tags(parentKey, ["regimen.kind": "sweep"]))
    }

    /// Nests under the parent a run of this sweep that an export before parent runs logged
    /// flat (same `regimen.run_id` and `regimen.sweep`, no parent); whether there was one.
    func adoptLegacy(_ id: String, experimentID: String, parentID: String) throws(MLflowClient.Failure) -> Bool {
        let found = try client.searchRuns(experimentID: experimentID, filter: "tags.`regimen.run_id` = '\(id)'")
        guard
            let legacy = found.first(where: {
                $0.tags["mlflow.parentRunId"] == nil && $0.tags["regimen.sweep"] == sweep && $0.tags["regimen.kind"] == "run"
            })
        else { return false }
        try client.setTag(runID: legacy.id, key: "mlflow.parentRunId", value: parentID)
        return true
    }

    /// Starts, fills and ends one run: params, final metrics at step 0, the history.
    func log(_ run: Run, experimentID: String, tags extra: [String: String]) throws(MLflowClient.Failure) {
        var all = extra
        all["regimen.failed"] = run.failed ? "true" : "false"
        let created = try client.createRun(experimentID: experimentID, name: "run-\(run.id)", tags: tags(run.id, all))
        let finals = run.metrics.sorted { $0.key < $1.key }.map { MLflowClient.Metric(key: $0.key, value: $0.value) }
        try client.logBatch(runID: created.id, params: run.params, metrics: finals + run.history)
        try client.finish(runID: created.id, failed: run.failed)
    }

    /// `extra` with the tags every run carries: `regimen.run_id` (= `id`), `regimen.sweep`,
    /// `regimen.code_revision`.
    func tags(_ id: String, _ extra: [String: String]) -> [String: String] {
        extra.merging(["regimen.run_id": id, "regimen.sweep": sweep, "regimen.code_revision": codeRevision]) { $1 }
    }
}
