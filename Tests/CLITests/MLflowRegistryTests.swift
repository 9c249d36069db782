import Foundation
import TestSupport
import Testing

/// `regimen models promote --mlflow` against a real MLflow server (contract section 4), as
/// `MLflowExportTests`: skipped without `REGIMEN_MLFLOW_URI`; the checks are plain REST calls.
@Suite("MLflow Model Registry")
struct MLflowRegistryTests {
    /// The MLflow versions of the registered model `name`, each with its aliases.
    static func versions(of name: String) throws -> [[String: Any]] {
        let answer = try MLflowExportTests.rest("mlflow/model-versions/search?filter=name%3D'\(name)'")
        return (answer["model_versions"] as? [[String: Any]]) ?? []
    }

    /// The MLflow version the alias of registered model `name` is on.
    static func aliased(_ name: String, _ alias: String) throws -> String? {
        let answer = try MLflowExportTests.rest("mlflow/registered-models/alias?name=\(name)&alias=\(alias)")
        return (answer["model_version"] as? [String: Any])?["version"] as? String
    }

    @Test(
        "promote --mlflow registers the version with its files and the alias, once; promoting another version moves the alias",
        .enabled(
            if: MLflowExportTests.server != nil, "REGIMEN_MLFLOW_URI is not set (.ci/run starts an MLflow server and sets it)"))
    func registers() throws {
        let directory = try Fixtures.temporaryDirectory()
        let models = directory.appendingPathComponent("models")
        let name = "regimen-test-\(UUID().uuidString.prefix(8))"
        for _ in 0..<2 { #expect(try MLflowExportTests.trainTiny(directory, models: models, name: name).status == 0) }
        func promote(_ version: Int, _ alias: String = "champion") throws -> Executables.Run {
            try Executables.run(
                "regimen",
                [
                    "models", "promote", name, "\(version)", "--alias", alias, "--models", models.path, "--mlflow",
                    MLflowExportTests.server!,
                ])
        }
        for _ in 0..<2 { #expect(try promote(1).status == 0) }
        var versions = try Self.versions(of: name)
        #expect(versions.count == 1, "promoting again adds no MLflow version")
        #expect(try Self.aliased(name, "champion") == "1")
        let first = try #require(versions.first)
        #expect((first["tags"] as? [[String: String]])?.contains { $0["key"] == "regimen.version" && $0["value"] == "1" } == true)
        let runID = try #require(first["run_id"] as? String)
        #expect((first["source"] as? String)?.hasSuffix("\(runID)/artifacts/model") == true)
        let listed = try MLflowExportTests.rest("mlflow/artifacts/list?run_id=\(runID)&path=model")
        let files = Set(((listed["files"] as? [[String: Any]]) ?? []).compactMap { $0["path"] as? String })
        let local = try FileManager.default.contentsOfDirectory(atPath: models.appendingPathComponent("\(name)/1").path)
        #expect(files == Set(local.map { "model/\($0)" }))
        #expect(try promote(2).status == 0)
        versions = try Self.versions(of: name)
        #expect(versions.count == 2)
        #expect(try Self.aliased(name, "champion") == "2", "the alias moved to the second version")
        let aliases = try JSONSerialization.jsonObject(
            with: Data(contentsOf: models.appendingPathComponent("\(name)/aliases.json")))
        #expect((aliases as? [String: Int]) == ["champion": 2])
    }

    @Test(
        "promote --mlflow refuses (64) an alias MLflow cannot hold, and a URL that is not http(s), before anything changes",
        .enabled(
            if: MLflowExportTests.server != nil, "REGIMEN_MLFLOW_URI is not set (.ci/run starts an MLflow server and sets it)"))
    func refusesBeforeChanging() throws {
        let directory = try Fixtures.temporaryDirectory()
        let models = directory.appendingPathComponent("models")
        let name = "regimen-test-\(UUID().uuidString.prefix(8))"
        #expect(try MLflowExportTests.trainTiny(directory, models: models, name: name).status == 0)
        for (alias, server) in [
            ("v1", MLflowExportTests.server!), ("best.1", MLflowExportTests.server!), ("champion", "ftp://x"),
        ] {
            let run = try Executables.run(
                "regimen", ["models", "promote", name, "1", "--alias", alias, "--models", models.path, "--mlflow", server])
            #expect(run.status == 64, "\(alias) \(server): \(run.standardError)")
        }
        #expect(!FileManager.default.fileExists(atPath: models.appendingPathComponent("\(name)/aliases.json").path))
        #expect(try Self.versions(of: name).isEmpty)
        let missing = try MLflowExportTests.rest("mlflow/registered-models/get?name=\(name)")
        #expect(missing["error_code"] as? String == "RESOURCE_DOES_NOT_EXIST")
    }
}
