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

    /// A run's tags as a map.
    static func tags(_ run: [String: Any]) -> [String: String] {
        let list = ((run["data"] as? [String: Any])?["tags"] as? [[String: String]]) ?? []
        return Dictionary(list.map { ($0["key"]!, $0["value"]!) }, uniquingKeysWith: { a, _ in a })
    }

    /// A run's MLflow id.
    static func id(_ run: [String: Any]) -> String? { (run["info"] as? [String: Any])?["run_id"] as? String }

    /// Every run of the experiment named `experiment` (at most 1000).
    static func runs(of experiment: String) throws -> [[String: Any]] {
        let found = try rest("mlflow/experiments/get-by-name?experiment_name=\(experiment)")
        let id = try #require((found["experiment"] as? [String: Any])?["experiment_id"] as? String)
        return try #require(
            try rest("mlflow/runs/search", ["experiment_ids": [id], "max_results": 1000])["runs"] as? [[String: Any]])
    }

    /// A run as an export before parent runs logged it: flat, tagged with its sweep run's id.
    static func legacyRun(_ runID: String, experiment: String) throws -> String {
        let created = try rest("mlflow/experiments/create", ["name": experiment])
        let experimentID = try #require(created["experiment_id"] as? String)
        let tags = ["regimen.run_id": runID, "regimen.sweep": "sweep", "regimen.kind": "run"].map { ["key": $0, "value": $1] }
        let run = try rest("mlflow/runs/create", ["experiment_id": experimentID, "tags": tags])
        let made = try #require(run["run"] as? [String: Any])
        return try #require(id(made))
    }

    @Test(
        "a sweep is one parent run holding summary.json and report.html, every run nested under it with its params, metrics and tags; a second export adds nothing",
        .enabled(if: server != nil, "REGIMEN_MLFLOW_URI is not set (.ci/run starts an MLflow server and sets it)"))
    func exportsNested() throws {
        let directory = try Fixtures.temporaryDirectory()
        let spec = try SweepCommandTests.spec(in: directory)
        let out = directory.appendingPathComponent("sweep")
        #expect(try Executables.run("regimen", ["sweep", "--spec", spec.path, "--out", out.path, "--quiet"]).status == 0)
        let lines = try String(contentsOf: out.appendingPathComponent("runs.jsonl"), encoding: .utf8).split(separator: "\n")
        let ids = Set(
            lines.compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["run_id"] as? String })
        let experiment = "regimen-test-\(UUID().uuidString)"
        // One run already logged flat, as before parent runs: nested, not logged twice.
        let legacy = try Self.legacyRun(try #require(ids.sorted().first), experiment: experiment)
        for _ in 0..<2 {
            let export = try Executables.run(
                "regimen",
                ["sweep", "export-mlflow", "--out", out.path, "--tracking-uri", Self.server!, "--experiment", experiment])
            #expect(export.status == 0, "\(export.standardError)")
        }
        let runs = try Self.runs(of: experiment)
        let parents = runs.filter { Self.tags($0)["regimen.kind"] == "sweep" }
        #expect(parents.count == 1 && runs.count == 9, "one parent and 8 runs, whatever the number of exports")
        let parent = try #require(parents.first.flatMap(Self.id))
        let children = runs.filter { Self.tags($0)["mlflow.parentRunId"] == parent }
        #expect(children.count == 8 && children.allSatisfy { Self.tags($0)["regimen.kind"] == "run" })
        #expect(Set(children.compactMap { Self.tags($0)["regimen.run_id"] }) == ids)
        #expect(children.contains { Self.id($0) == legacy })
        for run in children where Self.id(run) != legacy {
            let data = try #require(run["data"] as? [String: Any])
            let params = Set(((data["params"] as? [[String: String]]) ?? []).compactMap { $0["key"] })
            #expect(params.isSuperset(of: ["learning_rate", "window", "seed", "fold"]))
            let metrics = Set(((data["metrics"] as? [[String: Any]]) ?? []).compactMap { $0["key"] as? String })
            #expect(metrics.isSuperset(of: ["sharpe", "final_wealth", "max_drawdown"]))
            #expect(Self.tags(run)["regimen.sweep"] == "sweep" && Self.tags(run)["regimen.code_revision"] != nil)
        }
        let artifacts = try Self.rest("mlflow/artifacts/list?run_id=\(parent)")
        let files = Set(((artifacts["files"] as? [[String: Any]]) ?? []).compactMap { $0["path"] as? String })
        #expect(files == ["summary.json", "report.html"])
    }

    @Test(
        "exporting a sweep into an experiment that holds another sweep of the same folder name is refused (64), nothing logged",
        .enabled(if: server != nil, "REGIMEN_MLFLOW_URI is not set (.ci/run starts an MLflow server and sets it)"))
    func refusesAnotherSweepOfTheSameName() throws {
        let directory = try Fixtures.temporaryDirectory()
        let spec = try SweepCommandTests.spec(in: directory)
        let out = directory.appendingPathComponent("sweep")
        #expect(try Executables.run("regimen", ["sweep", "--spec", spec.path, "--out", out.path, "--quiet"]).status == 0)
        let experiment = "regimen-test-\(UUID().uuidString)"
        let arguments = ["sweep", "export-mlflow", "--tracking-uri", Self.server!, "--experiment", experiment, "--out"]
        #expect(try Executables.run("regimen", arguments + [out.path]).status == 0)
        // Another folder named `sweep` holding one run of the eight: not the sweep exported.
        let other = directory.appendingPathComponent("other/sweep")
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        let first = try String(contentsOf: out.appendingPathComponent("runs.jsonl"), encoding: .utf8).split(separator: "\n")[0]
        try (first + "\n").write(to: other.appendingPathComponent("runs.jsonl"), atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(
            at: out.appendingPathComponent("summary.json"), to: other.appendingPathComponent("summary.json"))
        let refused = try Executables.run("regimen", arguments + [other.path])
        #expect(refused.status == 64)
        #expect(
            refused.standardError.contains("already holds a sweep named 'sweep' with 7 run(s) not in this folder's runs.jsonl"))
        #expect(try Self.runs(of: experiment).count == 9)
    }

    /// Trains the tiny config (`epochs` epochs, one member) into `models` as `name`, logging
    /// to `experiment` when given; the command's outcome.
    static func trainTiny(
        _ directory: URL, models: URL, name: String = "tiny", epochs: Int = 1, experiment: String? = nil
    ) throws -> Executables.Run {
        let config = directory.appendingPathComponent("tiny.yaml")
        try
            "regime_states: 2\nregime_restarts: 1\nhidden: [8]\nwindow: 10\nbatch: 8\nepochs: \(epochs)\nsteps_per_epoch: 3\nensemble: 1\n"
            .write(to: config, atomically: true, encoding: .utf8)
        var arguments = [
            "train", "--data", SweepCommandTests.synthetic, "--config", config.path, "--models", models.path, "--name", name,
        ]
        if let experiment { arguments += ["--mlflow", server!, "--mlflow-experiment", experiment] }
        return try Executables.run("regimen", arguments)
    }

    @Test(
        "regimen train --mlflow logs the version's config, validation Sharpe ratios and per-epoch curves (step = epoch)",
        .enabled(if: server != nil, "REGIMEN_MLFLOW_URI is not set (.ci/run starts an MLflow server and sets it)"))
    func trainLogs() throws {
        let directory = try Fixtures.temporaryDirectory()
        let models = directory.appendingPathComponent("models")
        let experiment = "regimen-train-\(UUID().uuidString)"
        let train = try Self.trainTiny(directory, models: models, epochs: 3, experiment: experiment)
        #expect(train.status == 0, "\(train.standardError)")
        let runs = try Self.runs(of: experiment)
        #expect(runs.count == 1)
        let data = try #require(runs.first?["data"] as? [String: Any])
        let params = Dictionary(
            uniqueKeysWithValues: ((data["params"] as? [[String: String]]) ?? []).map { ($0["key"]!, $0["value"]!) })
        #expect(params["hidden"] == "[8]" && params["window"] == "10")
        let metrics = Set(((data["metrics"] as? [[String: Any]]) ?? []).compactMap { $0["key"] as? String })
        #expect(metrics.contains("validation_sharpe"))
        // The training log's epochs, one point each in MLflow's metric history.
        let log = try String(contentsOf: models.appendingPathComponent("tiny/1/training-log.jsonl"), encoding: .utf8)
        let epochs = log.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(epochs.count == 3)
        let runID = try #require(runs.first.flatMap(Self.id))
        for key in ["validation_sharpe", "loss"] {
            let history = try Self.rest("mlflow/metrics/get-history?run_id=\(runID)&metric_key=\(key)/member_1")
            let points = (history["metrics"] as? [[String: Any]]) ?? []
            #expect(points.compactMap { ($0["step"] as? NSNumber)?.intValue }.sorted() == [1, 2, 3], "\(key)")
            let logged = Dictionary(uniqueKeysWithValues: epochs.map { (($0["epoch"] as! NSNumber).intValue, $0[key]) })
            for point in points {
                let expected = try #require(logged[(point["step"] as! NSNumber).intValue] as? NSNumber)
                #expect(abs((point["value"] as! NSNumber).doubleValue - expected.doubleValue) < 1e-9, "\(key)")
            }
        }
    }
}
