import Foundation
import TestSupport
import Testing

/// `regimen evaluate --configs ... --walk-forward ...` on the synthetic default.
@Suite("evaluate recipes walk-forward")
struct RecipeCommandTests {
    static let synthetic = BacktestAndEvaluateCommandTests.synthetic

    static func evaluate(jobs: Int, directory: URL, config: URL) throws -> (Executables.Run, URL) {
        let report = directory.appendingPathComponent("report-\(jobs)")
        let run = try Executables.run(
            "regimen",
            [
                "evaluate", "--data", Self.synthetic, "--configs", config.path, "--walk-forward", "300:60:rolling", "--models",
                directory.appendingPathComponent("models-\(jobs)").path, "--baselines", "equal-weight", "--from",
                "2021-09-01", "--to", "2021-11-29", "--jobs", String(jobs), "--report", report.path,
            ], timeout: 600)
        return (run, report)
    }

    @Test("a recipe is retrained per fold, published, stitched, and reported the same for any --jobs")
    func recipe() throws {
        let directory = try Fixtures.temporaryDirectory()
        let config = directory.appendingPathComponent("small.yaml")
        try "regime_states: 2\nregime_restarts: 1\nhidden: [4]\nwindow: 10\nbatch: 4\nepochs: 1\nsteps_per_epoch: 2\n"
            .write(to: config, atomically: true, encoding: .utf8)
        let (one, reportOne) = try Self.evaluate(jobs: 1, directory: directory, config: config)
        #expect(one.status == 0, "\(one.standardError)")
        let (two, reportTwo) = try Self.evaluate(jobs: 2, directory: directory, config: config)
        #expect(two.status == 0, "\(two.standardError)")
        let bytes = try Data(contentsOf: reportOne.appendingPathComponent("report.json"))
        #expect(bytes == (try Data(contentsOf: reportTwo.appendingPathComponent("report.json"))))
        let json = try #require(try JSONSerialization.jsonObject(with: bytes) as? [String: Any])
        let allocators = try #require(json["allocators"] as? [[String: Any]])
        let recipe = try #require(allocators.first)
        #expect(recipe["kind"] as? String == "recipe" && recipe["name"] as? String == "small")
        let folds = try #require(recipe["folds"] as? [[String: Any]])
        #expect(folds.map { $0["version"] as? Int } == [1, 2])
        #expect(folds.map { ($0["test"] as? [String])?.first } == ["2021-09-01", "2021-10-31"])
        for fold in folds {
            let validate = try #require(fold["validate"] as? [String])
            let test = try #require(fold["test"] as? [String])
            #expect(validate[1] < test[0])
        }
        // The fold versions are in the registry, inspectable like any model.
        let show = try Executables.run(
            "regimen", ["models", "show", "small:2", "--models", directory.appendingPathComponent("models-1").path])
        #expect(show.status == 0 && show.standardOutput.contains("\"from\" : \"2021-01"), "\(show.standardOutput.prefix(300))")
        try Self.checkFoldModels(directory.appendingPathComponent("models-1").path)
        // The stitched metrics are those of the stitched series.
        let series = try #require(json["series"] as? [String: Any])
        let wealth = try #require((series["wealth"] as? [String: [Double]])?["small"])
        let metrics = try #require(recipe["metrics"] as? [String: Any])
        #expect(Swift.abs(wealth.last! - (metrics["final_wealth"] as! Double)) < 1e-12)
        let returns = zip([1.0] + wealth.dropLast(), wealth).map { $1 / $0 - 1 }
        let mean = returns.reduce(0, +) / Double(returns.count)
        let sd = (returns.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(returns.count - 1)).squareRoot()
        #expect(Swift.abs(mean / sd * 365.0.squareRoot() - (metrics["sharpe"] as! Double)) < 1e-9)
    }

    /// The fold models `recipe()` published are marked (manifest and `models list`) and
    /// promoted only with `--allow-fold-model`.
    static func checkFoldModels(_ models: String) throws {
        let show = try Executables.run("regimen", ["models", "show", "small:1", "--models", models])
        let manifest = try #require(try JSONSerialization.jsonObject(with: Data(show.standardOutput.utf8)) as? [String: Any])
        let fold = try #require(manifest["fold"] as? [String: Any])
        #expect(fold["recipe"] as? String == "small" && fold["test"] as? [String] == ["2021-09-01", "2021-10-30"])
        let list = try Executables.run("regimen", ["models", "list", "--models", models])
        #expect(
            list.status == 0 && list.standardOutput.contains("test 2021-09-01..2021-10-30 of small"), "\(list.standardOutput)")
        let refused = try Executables.run("regimen", ["models", "promote", "small", "1", "--models", models])
        #expect(refused.status == 64 && refused.standardError.contains("small:1 is a fold model"), "\(refused.standardError)")
        #expect(refused.standardError.contains("--allow-fold-model"))
        #expect(!FileManager.default.fileExists(atPath: models + "/small/aliases.json"))
        let allowed = try Executables.run(
            "regimen", ["models", "promote", "small", "1", "--allow-fold-model", "--models", models])
        #expect(allowed.status == 0, "\(allowed.standardError)")
    }

    @Test("a missing or bad recipe after a good one is refused before any recipe trains")
    func everyRecipeReadFirst() throws {
        let directory = try Fixtures.temporaryDirectory()
        let good = directory.appendingPathComponent("good.yaml")
        try "epochs: 1\n".write(to: good, atomically: true, encoding: .utf8)
        let bad = directory.appendingPathComponent("bad.yaml")
        try "tilt: 1\nsleeves: [cash]\n".write(to: bad, atomically: true, encoding: .utf8)
        let models = directory.appendingPathComponent("models")
        for (second, status, message) in [
            (directory.appendingPathComponent("gone.yaml").path, Int32(66), "gone.yaml"),
            (bad.path, Int32(65), "sleeves must hold a sleeve other than cash"),
        ] {
            let run = try Executables.run(
                "regimen",
                [
                    "evaluate", "--data", Self.synthetic, "--configs", "\(good.path),\(second)", "--walk-forward",
                    "300:60:rolling", "--models", models.path, "--baselines", "equal-weight", "--from", "2021-09-01", "--to",
                    "2021-11-29", "--report", directory.appendingPathComponent("report").path,
                ])
            #expect(run.status == status && run.standardError.contains(message), "\(run.standardError)")
            // Negative control of "nothing trained": the good recipe alone would publish under models/good.
            #expect(!FileManager.default.fileExists(atPath: models.appendingPathComponent("good").path))
        }
    }

    @Test("two recipes' folds train as one pool: the same report and fold models for --jobs 1 and 2")
    func recipesShareThePool() throws {
        let directory = try Fixtures.temporaryDirectory()
        let small = "regime_states: 2\nregime_restarts: 1\nhidden: [4]\nwindow: 10\nbatch: 4\nepochs: 1\nsteps_per_epoch: 2\n"
        let first = directory.appendingPathComponent("first.yaml")
        let second = directory.appendingPathComponent("second.yaml")
        try small.write(to: first, atomically: true, encoding: .utf8)
        try (small + "seed: 8\n").write(to: second, atomically: true, encoding: .utf8)
        func evaluate(jobs: Int) throws -> (report: Data, models: [Data]) {
            let models = directory.appendingPathComponent("models-\(jobs)")
            let report = directory.appendingPathComponent("report-\(jobs)")
            let run = try Executables.run(
                "regimen",
                [
                    "evaluate", "--data", Self.synthetic, "--configs", "\(first.path),\(second.path)", "--walk-forward",
                    "300:60:rolling", "--models", models.path, "--baselines", "equal-weight", "--from", "2021-09-01", "--to",
                    "2021-11-29", "--jobs", String(jobs), "--report", report.path,
                ], timeout: 600)
            #expect(run.status == 0, "\(run.standardError)")
            let weights = try ["first", "second"].flatMap { name in
                try [1, 2].map { try Data(contentsOf: models.appendingPathComponent("\(name)/\($0)/policy.safetensors")) }
            }
            return (try Data(contentsOf: report.appendingPathComponent("report.json")), weights)
        }
        let one = try evaluate(jobs: 1)
        let two = try evaluate(jobs: 2)
        #expect(one.report == two.report)
        #expect(one.models == two.models)
        // Negative control: the recipes differ (their seeds), so a fold published under the
        // other recipe's name would be caught.
        #expect(one.models[0] != one.models[2])
    }

    @Test("a recipe whose window does not fit a fold is refused, naming its file, before any recipe trains")
    func everyRecipePlannedFirst() throws {
        let directory = try Fixtures.temporaryDirectory()
        let good = directory.appendingPathComponent("good.yaml")
        try "epochs: 1\n".write(to: good, atomically: true, encoding: .utf8)
        let long = directory.appendingPathComponent("long.yaml")
        try "window: 250\n".write(to: long, atomically: true, encoding: .utf8)
        let models = directory.appendingPathComponent("models")
        let run = try Executables.run(
            "regimen",
            [
                "evaluate", "--data", Self.synthetic, "--configs", "\(good.path),\(long.path)", "--walk-forward",
                "300:60:rolling",
                "--models", models.path, "--baselines", "equal-weight", "--from", "2021-09-01", "--to", "2021-11-29", "--report",
                directory.appendingPathComponent("report").path,
            ])
        #expect(run.status == 65 && run.standardError.contains("long.yaml"), "\(run.standardError)")
        #expect(run.standardError.contains("is too short for a window of 250"), "\(run.standardError)")
        #expect(!FileManager.default.fileExists(atPath: models.appendingPathComponent("good").path))
    }

    @Test("--configs without --walk-forward is a usage error")
    func needsFolds() throws {
        let run = try Executables.run(
            "regimen",
            [
                "evaluate", "--data", Self.synthetic, "--configs", "x.yaml", "--from", "2021-09-01", "--to", "2021-11-29",
                "--report", "/tmp/r",
            ])
        #expect(run.status == 64 && run.standardError.contains("--configs needs --walk-forward"))
    }
}
