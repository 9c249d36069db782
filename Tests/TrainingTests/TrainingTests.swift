import Artifacts
import Backtest
import Foundation
import Inference
import Market
import ModelStore
import Policy
import Portfolio
import Risk
import Support
import TensorModule
import TestSupport
import Testing

@testable import Training

@Suite("Training and the registry")
struct TrainingTests {
    /// The learnable-signal market (`SignalMarket`).
    static func signalMarket() throws -> (Dataset, String) { try SignalMarket.make() }

    static var smallConfig: TrainingConfig {
        var config = TrainingConfig.small(epochs: 12, stepsPerEpoch: 10)
        config.learningRate = 0.01
        config.riskPenalty = 0
        config.patience = 12
        config.feeBps = 5
        config.ensemble = 1
        return config
    }

    @Test("training on a market with a strong, learnable signal beats equal-weight out of sample")
    func learnsSignal() throws {
        let (market, _) = try Self.signalMarket()
        let outcome = try PolicyTrainer.train(market, config: Self.smallConfig, name: "signal")
        var settings = BacktestSettings()
        settings.firstReturnRow = outcome.validationRows.upperBound + 2
        settings.feeBasisPoints = 5
        let policy = try Simulator.run(outcome.allocator, on: market, settings: settings)
        let equal = try Simulator.run(FixedWeights(weights: [1.0 / 3, 1.0 / 3, 1.0 / 3]), on: market, settings: settings)
        #expect(
            policy.periods.last!.wealth > equal.periods.last!.wealth,
            "policy \(policy.periods.last!.wealth) vs equal \(equal.periods.last!.wealth)")
        #expect((policy.metrics.sharpe ?? 0) > (equal.metrics.sharpe ?? 0))
    }

    @Test("same config and seed give the same model bytes; versions publish, load, alias, and damage is caught")
    func registry() throws {
        let (market, directory) = try Self.signalMarket()
        var config = Self.smallConfig
        config.epochs = 2
        let root = try Fixtures.temporaryDirectory()
        let registry = ModelRegistry(root: root)
        let first = try PolicyTrainer.train(market, config: config, name: "demo")
        let second = try PolicyTrainer.train(market, config: config, name: "demo")
        let v1 = try ModelPublisher.publish(
            first, name: "demo", dataset: market, dataDirectory: directory, registry: registry)
        let v2 = try ModelPublisher.publish(
            second, name: "demo", dataset: market, dataDirectory: directory, registry: registry)
        #expect((v1, v2) == (1, 2))
        let bytes1 = try Data(contentsOf: registry.directory("demo", 1).appendingPathComponent("policy.safetensors"))
        let bytes2 = try Data(contentsOf: registry.directory("demo", 2).appendingPathComponent("policy.safetensors"))
        #expect(bytes1 == bytes2)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("demo").path).filter {
                $0.hasPrefix(".staging")
            }.isEmpty)

        let loaded = try PolicyModel.load(try #require(ModelRegistry.Reference(parsing: "demo:2")), from: registry)
        #expect(loaded.manifest.version == 2 && loaded.manifest.name == "demo")
        #expect(zip(loaded.allocator.parameters, first.allocator.parameters).allSatisfy { $0.value == $1.value })
        try registry.promote(name: "demo", version: 1, alias: "champion")
        #expect(try registry.resolve(try #require(ModelRegistry.Reference(parsing: "demo@champion"))) == 1)

        var damaged = bytes1
        damaged[damaged.count - 1] ^= 0xFF
        try damaged.write(to: registry.directory("demo", 1).appendingPathComponent("policy.safetensors"))
        let error = #expect(throws: ModelRegistry.Failure.self) {
            try PolicyModel.load(ModelRegistry.Reference(parsing: "demo@champion")!, from: registry)
        }
        #expect(error?.description.contains("checksum does not match the manifest; version demo:1 is damaged") == true)
    }

    @Test("concurrent publications never share a version number")
    func concurrent() async throws {
        let root = try Fixtures.temporaryDirectory()
        let registry = ModelRegistry(root: root)
        let versions = try await withThrowingTaskGroup(of: Int.self) { group in
            for k in 0..<8 {
                group.addTask {
                    try registry.publish(name: "race", files: ["weights.bin": Data([UInt8(k)])]) { version, _ in
                        Data("{\"version\":\(version)}".utf8)
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(versions.sorted() == Array(1...8))
        #expect(registry.versions(of: "race") == Array(1...8))
    }
}

@Suite("Resuming training")
struct ResumeTests {
    @Test(
        "a run paused by its epoch budget and resumed gives the same model as an uninterrupted run",
        arguments: [
            (1, 2, "resuming after epoch 2"), (2, 3, "member 1/2  resuming after epoch 3"),
            (2, 5, "member 1/2  resuming after epoch 4"),
        ])
    func resume(ensemble: Int, budget: Int, firstLine: String) throws {
        let (market, _) = try TrainingTests.signalMarket()
        var config = TrainingTests.smallConfig
        config.epochs = 4
        config.ensemble = ensemble
        let straight = try PolicyTrainer.train(market, config: config, name: "r")
        let checkpoint = try Fixtures.temporaryDirectory().appendingPathComponent("ckpt")
        let paused = #expect(throws: PolicyTrainer.Paused.self) {
            try PolicyTrainer.train(market, config: config, name: "r", checkpoint: checkpoint, epochBudget: budget)
        }
        #expect(paused?.epochs == budget)
        var lines: [String] = []
        let resumed = try PolicyTrainer.train(market, config: config, name: "r", checkpoint: checkpoint) { lines.append($0) }
        // Members resume side by side, so their lines come in either order.
        #expect(lines.contains { $0.hasPrefix(firstLine) }, "\(lines.prefix(3))")
        #expect(straight.allocator.parameters.map(\.value.scalars) == resumed.allocator.parameters.map(\.value.scalars))
        #expect(straight.history == resumed.history)
        #expect(straight.validationSharpe == resumed.validationSharpe)
    }
}

@Suite("Risk term")
struct RiskTermTests {
    @Test("the smooth CVaR is close to the empirical expected shortfall, and has a gradient")
    func smoothCVaR() {
        var config = TrainingConfig()
        config.riskMeasure = .cvar
        config.cvarConfidence = 0.9
        var g = SeededGenerator(seed: 2)
        let values = (0..<400).map { _ in Float(0.02 * g.nextStandardNormal()) }
        let returns = Tensor<Float>(shape: [20, 20], scalars: values).requiringGradient()
        let term = PolicyTrainer.riskTerm(returns, config)
        let losses = values.map { -$0 }.sorted()
        let tail = losses[360...]
        let empirical = tail.reduce(0, +) / Float(tail.count)
        #expect(Swift.abs(term.scalar - empirical) < 0.002, "\(term.scalar) vs \(empirical)")
        #expect(term.gradients()[returns] != nil)
    }
}

@Suite("Sharpe objective")
struct SharpeObjectiveTests {
    @Test("the objective is the batch's mean over its population standard deviation, with a Float64-checked gradient")
    func sharpeObjective() {
        var g = SeededGenerator(seed: 5)
        let values = (0..<60).map { _ in 0.001 + 0.02 * g.nextStandardNormal() }
        let returns = Tensor<Double>(shape: [3, 20], scalars: values)
        let mean = values.reduce(0, +) / 60
        let deviation = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 60).squareRoot()
        #expect(Swift.abs(PolicyTrainer.sharpe(returns).scalar - mean / deviation) < 1e-9)
        let report = GradientCheck.check(inputs: [returns], parameters: [], relative: 1e-6, absolute: 1e-9) { x in
            PolicyTrainer.sharpe(x[0])
        }
        #expect(report.passed, "\(report)")
        // Negative control: a flat batch stays finite (the variance floor), where mean / sd would not.
        #expect(PolicyTrainer.sharpe(Tensor<Double>(shape: [1, 4], scalars: [0, 0, 0, 0])).scalar == 0)
    }
}
