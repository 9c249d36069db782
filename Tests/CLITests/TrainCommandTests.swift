import Foundation
import TestSupport
import Testing

@Suite("regimen train and models")
struct TrainCommandTests {
    static let synthetic = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../data/synthetic").standardized.path

    @Test("train prints NAME:VERSION last; models list, show, promote and diff work; evaluate takes the alias")
    func trainAndRegistry() throws {
        let directory = try Fixtures.temporaryDirectory()
        let config = directory.appendingPathComponent("tiny.yaml")
        try
            "regime_states: 2\nregime_restarts: 1\nhidden: [8]\nwindow: 10\nbatch: 4\nepochs: 2\nsteps_per_epoch: 3\nensemble: 1\n"
            .write(to: config, atomically: true, encoding: .utf8)
        let models = directory.appendingPathComponent("models").path
        let first = try Executables.run(
            "regimen", ["train", "--data", Self.synthetic, "--config", config.path, "--models", models, "--quiet"])
        #expect(first.status == 0, "\(first.standardError)")
        #expect(first.standardOutput.split(separator: "\n").last == "tiny:1")
        let second = try Executables.run(
            "regimen", ["train", "--data", Self.synthetic, "--config", config.path, "--models", models, "--seed", "8", "--quiet"])
        #expect(second.standardOutput.split(separator: "\n").last == "tiny:2")
        let list = try Executables.run("regimen", ["models", "list", "--models", models])
        #expect(list.status == 0 && list.standardOutput.contains("tiny") && list.standardOutput.contains("validation Sharpe"))
        let show = try Executables.run("regimen", ["models", "show", "tiny:1", "--models", models])
        #expect(show.standardOutput.contains("\"schema\" : \"regimen.model/v1\""))
        // A version train publishes is an ordinary one: no fold marker.
        #expect(!show.standardOutput.contains("\"fold\""))
        #expect(
            try Executables.run("regimen", ["models", "promote", "tiny", "2", "--alias", "champion", "--models", models]).status
                == 0)
        let diff = try Executables.run("regimen", ["models", "diff", "tiny:1", "tiny@champion", "--models", models])
        #expect(diff.standardOutput.contains("config.seed: 7.0 -> 8.0"))
        let report = directory.appendingPathComponent("report")
        let evaluate = try Executables.run(
            "regimen",
            [
                "evaluate", "--data", Self.synthetic, "--models", models, "--versions", "tiny@champion", "--baselines",
                "equal-weight", "--from", "2021-09-01", "--to", "2021-11-30", "--report", report.path,
            ])
        #expect(evaluate.status == 0, "\(evaluate.standardError)")
        // The default split validates up to 85% of the rows (late June 2021): earlier dates
        // are in-sample, refused unless asked for, and then marked.
        let inSampleArguments = [
            "evaluate", "--data", Self.synthetic, "--models", models, "--versions", "tiny@champion", "--baselines",
            "equal-weight", "--from", "2021-06-01", "--to", "2021-08-31", "--report", report.path + "-in-sample",
        ]
        let refused = try Executables.run("regimen", inSampleArguments)
        #expect(
            refused.status == 64 && refused.standardError.contains("overlap them on 2021-06-01.."), "\(refused.standardError)")
        #expect(!FileManager.default.fileExists(atPath: report.path + "-in-sample"))
        let marked = try Executables.run("regimen", inSampleArguments + ["--allow-in-sample"])
        #expect(marked.status == 0, "\(marked.standardError)")
        let markedJSON = try String(contentsOf: URL(fileURLWithPath: report.path + "-in-sample/report.json"), encoding: .utf8)
        #expect(markedJSON.contains(#""in_sample" : true"#))
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: report.appendingPathComponent("report.json")))
                as? [String: Any])
        let model = (json["allocators"] as? [[String: Any]])?.first
        #expect(
            model?["kind"] as? String == "model" && model?["name"] as? String == "tiny" && model?["version"] as? String == "2")
        let backtest = try Executables.run(
            "regimen",
            [
                "backtest", "--data", Self.synthetic, "--models", models, "--strategy", "tiny@champion", "--from", "2021-09-01",
                "--to", "2021-09-30", "--json",
            ])
        #expect(backtest.status == 0, "\(backtest.standardError)")
        let file = try #require(try JSONSerialization.jsonObject(with: Data(backtest.standardOutput.utf8)) as? [String: Any])
        #expect(file["strategy"] as? String == "tiny:2" && (file["series"] as? [Any])?.count == 30)
        let missing = try Executables.run("regimen", ["models", "show", "tiny:9", "--models", models])
        #expect(missing.status == 66 && missing.standardError.contains("no version 9"))
    }

    @Test("a config with a misspelt key or a value out of range exits 65 naming file, line and key, and publishes nothing")
    func misspeltConfig() throws {
        let directory = try Fixtures.temporaryDirectory()
        let config = directory.appendingPathComponent("typo.yaml")
        try "epochs: 2\nlearning_rte: 0.01\n".write(to: config, atomically: true, encoding: .utf8)
        let models = directory.appendingPathComponent("models")
        let run = try Executables.run(
            "regimen", ["train", "--data", Self.synthetic, "--config", config.path, "--models", models.path, "--quiet"])
        #expect(run.status == 65)
        #expect(
            run.standardError.contains("typo.yaml:2:1: field 'learning_rte': unknown key 'learning_rte'; valid keys:"),
            "\(run.standardError)")
        #expect(!FileManager.default.fileExists(atPath: models.appendingPathComponent("typo").path))
        try "epochs: 2\nbudget:\n  tau: 20\n".write(to: config, atomically: true, encoding: .utf8)
        let range = try Executables.run(
            "regimen", ["train", "--data", Self.synthetic, "--config", config.path, "--models", models.path, "--quiet"])
        #expect(range.status == 65)
        #expect(
            range.standardError.contains("typo.yaml:3:8: budget.tau must be from 0 to 10; found 20.0"), "\(range.standardError)")
        // A config that does not fit the data names the config too.
        try "epochs: 2\nfeatures: {exogenous: [VIX]}\n".write(to: config, atomically: true, encoding: .utf8)
        let exogenous = try Executables.run(
            "regimen", ["train", "--data", Self.synthetic, "--config", config.path, "--models", models.path, "--quiet"])
        #expect(exogenous.status == 65)
        #expect(
            exogenous.standardError.contains("\(config.path): features.exogenous names 'VIX'"), "\(exogenous.standardError)")
        #expect(!FileManager.default.fileExists(atPath: models.appendingPathComponent("typo").path))
        let budget = try Executables.run(
            "regimen",
            ["train", "--data", Self.synthetic, "--config", config.path, "--models", models.path, "--epoch-budget", "0"])
        #expect(budget.status == 64 && budget.standardError.contains("--epoch-budget must be at least 1; found 0"))
    }
}
