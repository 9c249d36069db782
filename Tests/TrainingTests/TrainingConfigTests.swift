import Features
import Foundation
import Support
import Testing
import Training

@Suite("Training config files")
struct TrainingConfigTests {
    static let defaultConfig = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../models/default.yaml").standardized

    @Test("models/default.yaml reads without problems and states the built-in defaults")
    func defaultFile() throws {
        let text = try String(contentsOf: Self.defaultConfig, encoding: .utf8)
        let config = try YAMLDocument.decode(TrainingConfig.self, from: text, file: "default.yaml")
        #expect(config.problems.isEmpty)
        var builtIn = TrainingConfig()
        builtIn.train = config.train
        builtIn.validate = config.validate
        #expect(config == builtIn)
    }

    @Test("every recipe tried for issue 14 (recipes/tried) reads without problems and differs from the default")
    func triedRecipes() throws {
        let folder = Self.defaultConfig.deletingLastPathComponent().appendingPathComponent("../recipes/tried").standardized
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(files.count >= 14)
        var seen: [TrainingConfig] = [TrainingConfig()]
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            let config = try YAMLDocument.decode(TrainingConfig.self, from: text, file: file)
            #expect(config.problems.isEmpty, "\(file): \(config.problems)")
            #expect(!seen.contains(config), "\(file) repeats another recipe")
            seen.append(config)
        }
    }

    @Test(
        "a misspelt key, at the top or in features, is refused with its line",
        arguments: [
            ("epochs: 2\nlearning_rte: 0.01\n", "c.yaml:2:1: field 'learning_rte': unknown key"),
            ("features:\n  horizon: [1, 5]\n", "c.yaml:2:3: field 'features.horizon': unknown key"),
            ("risk_measure: cvr\n", "c.yaml:1:15: field 'risk_measure': must be one of variance, cvar; found 'cvr'"),
            ("objective: sortino\n", "c.yaml:1:12: field 'objective': must be one of growth, sharpe; found 'sortino'"),
            (
                "sleeves: [cash, min-var]\n",
                "c.yaml:1:17: field 'sleeves[1]': must be one of equal-weight, inverse-vol, min-variance, max-sharpe, risk-parity, hrp, cash; found 'min-var'"
            ),
        ])
    func misspelt(text: String, message: String) {
        let problem = #expect(throws: YAMLDocumentProblem.self) {
            try YAMLDocument.decode(TrainingConfig.self, from: text, file: "c.yaml")
        }
        #expect(problem?.description.hasPrefix(message) == true, "\(String(describing: problem))")
    }

    @Test("a config survives the manifest's JSON round trip")
    func jsonRoundTrip() throws {
        var config = TrainingConfig()
        config.train = "2020-01-01..2020-12-31"
        config.riskMeasure = .cvar
        config.features.exogenous = ["vix"]
        let decoded = try JSONDecoder().decode(TrainingConfig.self, from: JSONEncoder().encode(config))
        #expect(decoded == config)
        // The start and anchor keys are written only when set, and then round-trip.
        #expect(!String(decoding: try JSONEncoder().encode(config), as: UTF8.self).contains("\"start\""))
        config.start = .equalWeight
        config.anchorPenalty = 0.01
        #expect(try JSONDecoder().decode(TrainingConfig.self, from: JSONEncoder().encode(config)) == config)
    }

    @Test("start and anchor_penalty read from YAML, and bad values are refused")
    func startKeys() throws {
        let config = try YAMLDocument.decode(
            TrainingConfig.self, from: "start: equal_weight\nanchor_penalty: 0.5\n", file: "c.yaml")
        #expect(config.start == .equalWeight && config.anchorPenalty == 0.5 && config.problems.isEmpty)
        #expect(throws: YAMLDocumentProblem.self) {
            try YAMLDocument.decode(TrainingConfig.self, from: "start: zero\n", file: "c.yaml")
        }
        let negative = try YAMLDocument.decode(TrainingConfig.self, from: "anchor_penalty: -1\n", file: "c.yaml")
        #expect(negative.problems.contains("anchor_penalty must be a non-negative number"))
    }

    @Test(
        "every number has a range: hostile values are problems that name the key and the bound; the bounds themselves pass",
        arguments: [
            ("regime_states: 200\n", "regime_states must be from 1 to 64; found 200"),
            ("regime_states: 64\nregime_restarts: 100\nensemble: 64\nfee_bps: 1000\n", nil),
            ("regime_restarts: 0\n", "regime_restarts must be from 1 to 100; found 0"),
            ("batch: 100000000\n", "batch must be from 1 to 4096; found 100000000"),
            ("batch: 4096\nwindow: 10000\n", "batch x window must be at most 1000000; found 40960000"),
            // Products of counts out of range overflowed and trapped (fuzzer); each count is refused.
            ("batch: 10000000000\nwindow: 10000000000\n", "batch must be from 1 to 4096; found 10000000000"),
            ("ensemble: 10000000000\nvalidation_windows: 10000000000\n", "ensemble must be from 1 to 64; found 10000000000"),
            ("ensemble: 64\nvalidation_windows: 2\n", "ensemble x validation_windows must be at most 64; found 128"),
            ("hidden: [1000000000]\n", "hidden must be 1 to 8 widths from 1 to 1024; found [1000000000]"),
            ("learning_rate: .nan\n", "learning_rate must be from 1e-09 to 10.0; found nan"),
            ("learning_rate: 1e308\n", "learning_rate must be from 1e-09 to 10.0; found 1e+308"),
            ("fee_bps: -20000\n", "fee_bps must be from 0.0 to 1000.0; found -20000.0"),
            ("clip: -1\n", "clip must be from 1e-09 to 1000000000.0; found -1.0"),
            ("risk_penalty: .inf\n", "risk_penalty must be from 0.0 to 1000000.0; found inf"),
            // Sleeve settings without sleeves did nothing and vanished from the manifest.
            ("tilt: 0.7\n", "tilt applies only to a policy with sleeves; found 0.7 without sleeves"),
            ("start_share: 0.5\n", "start_share applies only to a policy with sleeves; found 0.5 without sleeves"),
            ("tilt: 0.5\nstart_share: 0.9\n", nil),
            (
                "overlay: {structure: protective_put, asset: SYN1, tenor_days: -5}\n",
                "overlay.tenor_days must be from 2 to 730; found -5"
            ),
        ] as [(String, String?)])
    func ranges(text: String, problem: String?) throws {
        let config = try YAMLDocument.decode(TrainingConfig.self, from: text, file: "c.yaml")
        if let problem {
            #expect(config.problems.contains(problem), "\(config.problems)")
        } else {
            #expect(config.problems.isEmpty, "\(config.problems)")
        }
    }

    @Test(
        "a range problem is placed at its value, in nested mappings and select lists too (negative control: a clash of defaults has no place)",
        arguments: [
            ("epochs: 2\nbudget:\n  tau: 20\n", "c.yaml:3:8: budget.tau must be from 0 to 10; found 20.0"),
            ("features:\n  volatility_window: 1\n", "c.yaml:2:22: features.volatility_window must be from 2 to"),
            ("budget: {}\nselect: {tau: [0, 20]}\n", "c.yaml:2:15: select.tau: budget.tau must be from 0 to 10; found 20.0"),
            ("overlay: {structure: protective_put, asset: SYN1, tenor_days: -5}\n", "c.yaml:1:63: overlay.tenor_days"),
            ("hidden: [8, 0]\n", "c.yaml:1:9: hidden must be 1 to 8 widths"),
            ("budget: {}\nsleeves: [hrp]\n", "c.yaml: a policy has sleeves or a budget, not both"),
        ] as [(String, String)])
    func placedProblems(text: String, message: String) throws {
        let config = try YAMLDocument.decode(TrainingConfig.self, from: text, file: "c.yaml")
        let problem = try #require(config.problems.first)
        #expect(YAMLDocument.problem(problem, placedIn: text, file: "c.yaml").description.hasPrefix(message), "\(problem)")
    }

    @Test(
        "sleeve settings out of their rules are refused by name (negative control: a sound one passes)",
        arguments: [
            ("sleeves: [min-variance, cash]\ntilt: 1\nstart_share: 0.5\n", nil),
            ("sleeves: [cash, min-variance, cash]\n", "sleeves must not repeat a sleeve"),
            ("sleeves: [cash]\n", "sleeves must hold a sleeve other than cash"),
            ("sleeves: [hrp]\ntilt: -0.1\n", "tilt must be in [0, 10]"),
            ("sleeves: [hrp]\ntilt: 11\n", "tilt must be in [0, 10]"),
            ("sleeves: [hrp]\nstart_share: 1\n", "start_share must be in (0, 1)"),
            ("sleeves: [hrp]\nstart: equal_weight\n", "start does not apply to a policy with sleeves (it starts on a sleeve)"),
        ] as [(String, String?)])
    func sleeveRules(text: String, problem: String?) throws {
        let config = try YAMLDocument.decode(TrainingConfig.self, from: text, file: "c.yaml")
        if let problem { #expect(config.problems == [problem]) } else { #expect(config.problems.isEmpty) }
        // A sleeve config is written with its sleeve keys and reads back the same.
        let json = try JSONEncoder().encode(config)
        #expect(String(decoding: json, as: UTF8.self).contains("\"sleeves\""))
        #expect(try JSONDecoder().decode(TrainingConfig.self, from: json) == config)
    }
}
