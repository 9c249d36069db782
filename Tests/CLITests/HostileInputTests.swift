import Foundation
import TestSupport
import Testing

/// One hostile input: how to break a fresh world, the command to run, and what must come
/// back (exit status and a fragment of the message). Whatever the case, nothing in the world
/// may be created or changed, and the command must end within the timeout.
struct HostileCase: Sendable, CustomTestStringConvertible {
    let name: String
    let setUp: @Sendable (HostileWorld) throws -> Void
    let command: @Sendable (HostileWorld) -> (String, [String])
    let status: Int32
    let message: String

    var testDescription: String { name }
}

/// The commands the cases run, on a world's paths.
enum HostileCommand {
    static func infer(_ extra: [String] = [], model: String = "tiny:1") -> @Sendable (HostileWorld) -> (String, [String]) {
        { w in
            (
                "regimen-infer",
                [
                    "--models", w.models.path, "--model", model, "--data", w.data.path, "--as-of", HostileWorld.asOf, "--out",
                    w.out.appendingPathComponent("weights.json").path,
                ] + extra
            )
        }
    }
    static func inferWithLimits(_ extra: [String] = []) -> @Sendable (HostileWorld) -> (String, [String]) {
        { w in infer(["--limits", w.limits.path] + extra)(w) }
    }
    static let validate: @Sendable (HostileWorld) -> (String, [String]) = { w in
        ("regimen", ["data", "validate", "--data", w.data.path])
    }
    static let backtest: @Sendable (HostileWorld) -> (String, [String]) = { w in
        (
            "regimen",
            ["backtest", "--data", w.data.path, "--strategy", "ons", "--out", w.out.appendingPathComponent("b.json").path]
        )
    }
    static let backtestModel: @Sendable (HostileWorld) -> (String, [String]) = { w in
        (
            "regimen",
            [
                "backtest", "--data", w.data.path, "--strategy", "tiny@champion", "--models", w.models.path, "--allow-in-sample",
                "--out",
                w.out.appendingPathComponent("b.json").path,
            ]
        )
    }
    static let baseline: @Sendable (HostileWorld) -> (String, [String]) = { w in
        (
            "regimen",
            [
                "baseline", "--data", w.data.path, "--strategy", "min-variance", "--as-of", HostileWorld.asOf, "--out",
                w.out.appendingPathComponent("w.json").path,
            ]
        )
    }
    static let features: @Sendable (HostileWorld) -> (String, [String]) = { w in
        ("regimen", ["features", "--data", w.data.path, "--out", w.out.appendingPathComponent("f.csv").path])
    }
    static let train: @Sendable (HostileWorld) -> (String, [String]) = { w in
        ("regimen", ["train", "--data", w.data.path, "--config", w.config.path, "--models", w.models.path, "--quiet"])
    }
    static let risk: @Sendable (HostileWorld) -> (String, [String]) = { w in
        (
            "regimen",
            ["risk", "--data", w.data.path, "--weights", w.previous.path, "--out", w.out.appendingPathComponent("r.json").path]
        )
    }
    static let show: @Sendable (HostileWorld) -> (String, [String]) = { w in
        ("regimen", ["models", "show", "tiny@champion", "--models", w.models.path])
    }
    static func promote(_ name: String = "tiny", alias: String = "canary") -> @Sendable (HostileWorld) -> (String, [String]) {
        { w in ("regimen", ["models", "promote", name, "1", "--alias", alias, "--models", w.models.path]) }
    }
}

@Suite("hostile inputs: refused with the contract's status, nothing written", .serialized)
struct HostileInputTests {
    @Test("each hostile input is refused cleanly", arguments: HostileCases.all)
    func refused(_ testCase: HostileCase) throws {
        let world = try HostileWorld.make()
        try testCase.setUp(world)
        let before = world.snapshot()
        let (program, arguments) = testCase.command(world)
        let run = try Executables.run(program, arguments, timeout: 60)
        #expect(run.status == testCase.status, "\(testCase.name): \(run.standardError)")
        #expect(run.standardError.contains(testCase.message), "\(testCase.name): \(run.standardError)")
        #expect(!run.standardError.contains("internal error") && !run.standardError.contains("Fatal error"))
        let after = world.snapshot()
        let changed = Set(before.keys).union(after.keys).filter { before[$0] != after[$0] }.sorted()
        #expect(changed.isEmpty, "\(testCase.name): created or changed \(changed)")
        try? FileManager.default.removeItem(at: world.root.deletingLastPathComponent())
    }

    @Test("the cases are many and the unbroken world passes every command (negative control)")
    func control() throws {
        #expect(HostileCases.all.count >= 150)
        let world = try HostileWorld.make()
        let commands = [
            HostileCommand.infer(), HostileCommand.inferWithLimits(), HostileCommand.validate, HostileCommand.backtest,
            HostileCommand.backtestModel, HostileCommand.baseline, HostileCommand.features, HostileCommand.risk,
            HostileCommand.show, HostileCommand.promote(),
        ]
        for command in commands {
            let (program, arguments) = command(world)
            let run = try Executables.run(program, arguments, timeout: 60)
            #expect(run.status == 0, "\(arguments.prefix(2)): \(run.standardError)")
        }
    }
}
