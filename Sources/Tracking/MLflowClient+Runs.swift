import Foundation
import Support

/// The run calls of MLflow's tracking REST API that the exports share: experiments, runs,
/// batches of params and metrics, tags, and paged searches.
extension MLflowClient {
    /// One point of a metric: MLflow keeps every (step, value) of a key as its history.
    package struct Metric: Sendable, Equatable {
        package let key: String
        package let value: Double
        package let step: Int

        package init(key: String, value: Double, step: Int = 0) {
            self.key = key
            self.value = value
            self.step = step
        }
    }

    /// A run MLflow created: its id and where its artifacts go (`artifact_uri`).
    package struct CreatedRun: Sendable {
        package let id: String
        package let artifactURI: String
    }

    /// MLflow's limits on one `runs/log-batch` request.
    static let batchParams = 100
    static let batchMetrics = 1000

    /// The id of the experiment `name`, created when it does not exist.
    package func experimentID(named name: String) throws(Failure) -> String {
        if let found = try call("mlflow/experiments/get-by-name", query: ["experiment_name": name]),
            case .object(let fields)? = found["experiment"], case .string(let id)? = fields["experiment_id"]
        {
            return id
        }
        guard let created = try call("mlflow/experiments/create", body: .object(["name": .string(name)])),
            case .string(let id)? = created["experiment_id"]
        else { throw Failure(description: "MLflow did not create the experiment \(name)") }
        return id
    }

    /// Starts a run named `name` in the experiment, with `tags`.
    package func createRun(experimentID: String, name: String, tags: [String: String]) throws(Failure) -> CreatedRun {
        let answer = try call(
            "mlflow/runs/create",
            body: .object([
                "experiment_id": .string(experimentID), "run_name": .string(name),
                "start_time": .number(Self.now()), "tags": Self.pairs(tags),
            ]))
        guard case .object(let run)? = answer?["run"], case .object(let info)? = run["info"],
            case .string(let id)? = info["run_id"]
        else { throw Failure(description: "MLflow did not create a run for \(name)") }
        guard case .string(let artifactURI)? = info["artifact_uri"] else {
            throw Failure(description: "MLflow created the run \(name) without an artifact_uri")
        }
        return CreatedRun(id: id, artifactURI: artifactURI)
    }

    /// Logs `params` and `metrics` (non-finite values left out: JSON cannot carry them) in as
    /// many `runs/log-batch` calls as MLflow's per-request limits need.
    package func logBatch(runID: String, params: [String: String], metrics: [Metric]) throws(Failure) {
        let params = params.sorted { $0.key < $1.key }.map {
            JSONValue.object(["key": .string($0.key), "value": .string($0.value)])
        }
        let timestamp = Self.now()
        let metrics = metrics.filter { $0.value.isFinite }.map {
            JSONValue.object([
                "key": .string($0.key), "value": .number($0.value), "timestamp": .number(timestamp),
                "step": .number(Double($0.step)),
            ])
        }
        var (p, m) = (0, 0)
        repeat {
            let paramsNow = Array(params[p..<min(p + Self.batchParams, params.count)])
            let metricsNow = Array(metrics[m..<min(m + Self.batchMetrics, metrics.count)])
            _ = try call(
                "mlflow/runs/log-batch",
                body: .object(["run_id": .string(runID), "params": .array(paramsNow), "metrics": .array(metricsNow)]))
            (p, m) = (p + paramsNow.count, m + metricsNow.count)
        } while p < params.count || m < metrics.count
    }

    /// Sets one tag of a run.
    package func setTag(runID: String, key: String, value: String) throws(Failure) {
        _ = try call(
            "mlflow/runs/set-tag", body: .object(["run_id": .string(runID), "key": .string(key), "value": .string(value)]))
    }

    /// Ends a run, `FINISHED` or `FAILED`.
    package func finish(runID: String, failed: Bool) throws(Failure) {
        _ = try call(
            "mlflow/runs/update",
            body: .object([
                "run_id": .string(runID), "status": .string(failed ? "FAILED" : "FINISHED"), "end_time": .number(Self.now()),
            ]))
    }

    /// Every run of the experiment matching `filter` (MLflow's search syntax), page by page.
    package func searchRuns(experimentID: String, filter: String) throws(Failure) -> [SearchedRun] {
        var found: [SearchedRun] = []
        var token: String?
        repeat {
            var body: [String: JSONValue] = [
                "experiment_ids": .array([.string(experimentID)]), "filter": .string(filter), "max_results": .number(1000),
            ]
            if let token { body["page_token"] = .string(token) }
            let answer = try call("mlflow/runs/search", body: .object(body)) ?? [:]
            if case .array(let runs)? = answer["runs"] { found += runs.compactMap(SearchedRun.init) }
            if case .string(let next)? = answer["next_page_token"], !next.isEmpty { token = next } else { token = nil }
        } while token != nil
        return found
    }

    /// Milliseconds since 1970, as MLflow times runs and metrics.
    static func now() -> Double { (Date().timeIntervalSince1970 * 1000).rounded() }

    /// `tags` as MLflow's list of `{key, value}` objects, sorted by key.
    static func pairs(_ tags: [String: String]) -> JSONValue {
        .array(tags.sorted { $0.key < $1.key }.map { .object(["key": .string($0.key), "value": .string($0.value)]) })
    }
}

/// A run as `runs/search` returns it: its id, where its artifacts go, and its tags.
package struct SearchedRun: Sendable {
    package let id: String
    package let artifactURI: String
    package let tags: [String: String]

    /// Reads a run object; nil when it has no `info.run_id`.
    init?(_ value: JSONValue) {
        guard case .object(let run) = value, case .object(let info)? = run["info"], case .string(let id)? = info["run_id"] else {
            return nil
        }
        var tags: [String: String] = [:]
        if case .object(let data)? = run["data"], case .array(let list)? = data["tags"] {
            for case .object(let tag) in list {
                if case .string(let key)? = tag["key"], case .string(let value)? = tag["value"] { tags[key] = value }
            }
        }
        self.id = id
        if case .string(let uri)? = info["artifact_uri"] { artifactURI = uri } else { artifactURI = "" }
        self.tags = tags
    }
}
