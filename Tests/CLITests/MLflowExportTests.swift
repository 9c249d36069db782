import Foundation
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `regimen sweep export-mlflow` against a real MLflow server (contract section 9): `.ci/run`
/// starts one (pinned `mlflow`, SQLite store in a temporary folder) and sets
/// `REGIMEN_MLFLOW_URI`; without it the test skips. The checks read MLflow's REST API with
/// plain HTTP requests, not with the exporter's client.
@Suite("MLflow export")
struct MLflowExportTests {
    static let server = ProcessInfo.processInfo.environment["REGIMEN_MLFLOW_URI"]

    /// POSTs (or GETs without a body) to MLflow's REST API and returns the JSON object.
    static func rest(_ path: String, _ body: [String: Any]? = nil) throws -> [String: Any] {
        var request = URLRequest(url: URL(string: server! + "/api/2.0/" + path)!)
        if let body {
            request.httpMethod = "POST"
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = try JSONSerialization.data(withJSONObject: body)
        }
        final class Box: @unchecked Sendable { var data = Data() }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: request) { data, _, _ in
            box.data = data ?? Data()
            done.signal()
        }.resume()
        done.wait()
        return try #require(try JSONSerialization.jsonObject(with: box.data) as? [String: Any])
    }

    @Test(
        "every run is in MLflow with its params, metrics and tags, the summary as an artifact; a second export adds nothing",
        .enabled(if: server != nil, "REGIMEN_MLFLOW_URI is not set (.ci/run starts an MLflow server and sets it)"))
    func exportsOnce() throws {
        let directory = try Fixtures.temporaryDirectory()
        let spec = try SweepCommandTests.spec(in: directory)
        let out = directory.appendingPathComponent("sweep")
        #expect(try Executables.run("regimen", ["sweep", "--spec", spec.path, "--out", out.path, "--quiet"]).status == 0)
        let experiment = "regimen-test-\(UUID().uuidString)"
        for _ in 0..<2 {
            let export = try Executables.run(
                "regimen",
                ["sweep", "export-mlflow", "--out", out.path, "--tracking-uri", Self.server!, "--experiment", experiment])
            #expect(export.status == 0, "\(export.standardError)")
        }
        let found = try Self.rest("mlflow/experiments/get-by-name?experiment_name=\(experiment)")
        let id = try #require((found["experiment"] as? [String: Any])?["experiment_id"] as? String)
        let runs = try #require(
            try Self.rest("mlflow/runs/search", ["experiment_ids": [id], "max_results": 1000])["runs"] as? [[String: Any]])
        func tags(_ run: [String: Any]) -> [String: String] {
            let list = ((run["data"] as? [String: Any])?["tags"] as? [[String: String]]) ?? []
            return Dictionary(list.map { ($0["key"]!, $0["value"]!) }, uniquingKeysWith: { a, _ in a })
        }
        let sweepRuns = runs.filter { tags($0)["regimen.kind"] == "run" }
        #expect(sweepRuns.count == 8, "a second export must not duplicate runs")
        let lines = try String(contentsOf: out.appendingPathComponent("runs.jsonl"), encoding: .utf8).split(separator: "\n")
        let ids = Set(
            lines.compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["run_id"] as? String })
        #expect(Set(sweepRuns.compactMap { tags($0)["regimen.run_id"] }) == ids)
        for run in sweepRuns {
            let data = try #require(run["data"] as? [String: Any])
            let params = Set(((data["params"] as? [[String: String]]) ?? []).compactMap { $0["key"] })
            #expect(params.isSuperset(of: ["learning_rate", "window", "seed", "fold"]))
            let metrics = Set(((data["metrics"] as? [[String: Any]]) ?? []).compactMap { $0["key"] as? String })
            #expect(metrics.isSuperset(of: ["sharpe", "final_wealth", "max_drawdown"]))
            #expect(tags(run)["regimen.sweep"] == "sweep" && tags(run)["regimen.code_revision"] != nil)
        }
        let summary = try #require(runs.first { tags($0)["regimen.kind"] == "summary" })
        let summaryID = try #require((summary["info"] as? [String: Any])?["run_id"] as? String)
        let artifacts = try Self.rest("mlflow/artifacts/list?run_id=\(summaryID)")
        #expect(((artifacts["files"] as? [[String: Any]]) ?? []).contains { $0["path"] as? String == "summary.json" })
    }

    @Test(
        "regimen train --mlflow logs the version's config and validation Sharpe ratios",
        .enabled(if: server != nil, "REGIMEN_MLFLOW_URI is not set (.ci/run starts an MLflow server and sets it)"))
    func trainLogs() throws {
        let directory = try Fixtures.temporaryDirectory()
        let config = directory.appendingPathComponent("tiny.yaml")
        try
            "regime_states: 2\nregime_restarts: 1\nhidden: [8]\nwindow: 10\nbatch: 8\nepochs: 1\nsteps_per_epoch: 3\nensemble: 1\n"
            .write(
                to: config, atomically: true, encoding: .utf8)
        let experiment = "regimen-train-\(UUID().uuidString)"
        let train = try Executables.run(
            "regimen",
            [
                "train", "--data", SweepCommandTests.synthetic, "--config", config.path, "--models",
                directory.appendingPathComponent("models").path, "--mlflow", Self.server!, "--mlflow-experiment", experiment,
            ])
        #expect(train.status == 0, "\(train.standardError)")
        let found = try Self.rest("mlflow/experiments/get-by-name?experiment_name=\(experiment)")
        let id = try #require((found["experiment"] as? [String: Any])?["experiment_id"] as? String)
        let runs = try #require(try Self.rest("mlflow/runs/search", ["experiment_ids": [id]])["runs"] as? [[String: Any]])
        #expect(runs.count == 1)
        let data = try #require(runs.first?["data"] as? [String: Any])
        let params = Dictionary(
            uniqueKeysWithValues: ((data["params"] as? [[String: String]]) ?? []).map { ($0["key"]!, $0["value"]!) })
        #expect(params["hidden"] == "[8]" && params["window"] == "10")
        let metrics = Set(((data["metrics"] as? [[String: Any]]) ?? []).compactMap { $0["key"] as? String })
        #expect(metrics.contains("validation_sharpe"))
    }
}
