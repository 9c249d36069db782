import Foundation
import TestSupport
import Testing

/// Every numeric option of every command, given the values at the edges of what a number can
/// be (0, negative, subnormal, tiny, huge, NaN, infinity, Int.max and beyond): the command ends
/// with 0, 64 (a usage error that names the option) or 65/66, within a time limit and under a
/// 4 GB address-space cap; never a trap, a hang, or a huge allocation.
@Suite("numeric options at the edges", .serialized)
struct NumericOptionTests {
    /// The values tried for every option.
    static let edges = [
        "0", "-1", "5e-324", "1e-300", "1e308", "-1e308", "nan", "inf", "-inf", "9223372036854775807",
        "-9223372036854775808", "9223372036854775808", "1e400",
    ]

    /// A command with one numeric option left out of its arguments.
    struct Case: CustomStringConvertible, Sendable {
        let program: String
        let arguments: @Sendable (URL) -> [String]
        let option: String
        var description: String {
            "\(program) \(arguments(URL(fileURLWithPath: "OUT")).prefix(2).joined(separator: " ")) \(option)"
        }
    }

    static let synthetic = InferCommandTests.synthetic

    static var cases: [Case] {
        let backtest: @Sendable (URL) -> [String] = { out in
            [
                "backtest", "--data", synthetic, "--strategy", "equal-weight", "--from", "2021-01-01", "--to", "2021-02-01",
                "--out",
                out.appendingPathComponent("b.json").path,
            ]
        }
        let evaluate: @Sendable (URL) -> [String] = { out in
            [
                "evaluate", "--data", synthetic, "--baselines", "min-variance", "--from", "2021-01-01", "--to", "2021-02-01",
                "--report", out.path,
            ]
        }
        let baseline: @Sendable (URL) -> [String] = { out in
            [
                "baseline", "--data", synthetic, "--strategy", "min-variance", "--as-of", "2021-06-01", "--out",
                out.appendingPathComponent("w.json").path,
            ]
        }
        let risk: @Sendable (URL) -> [String] = { out in
            ["risk", "--data", synthetic, "--weights", Self.weights.path, "--out", out.appendingPathComponent("r.json").path]
        }
        let synth: @Sendable (URL) -> [String] = { out in ["data", "synth", "--out", out.appendingPathComponent("d").path] }
        let fit: @Sendable (URL) -> [String] = { out in
            ["regimes", "fit", "--data", synthetic, "--restarts", "1", "--out", out.appendingPathComponent("f.json").path]
        }
        let classify: @Sendable (URL) -> [String] = { out in
            ["regimes", "classify", "--data", Inputs.small, "--out", out.appendingPathComponent("c.json").path]
        }
        let price: @Sendable (URL) -> [String] = { out in
            [
                "options", "price", "--chain", Inputs.chain, "--at", "2024-01-01", "--out",
                out.appendingPathComponent("p.csv").path,
            ]
        }
        let sweep: @Sendable (URL) -> [String] = { out in
            ["sweep", "--spec", Inputs.sweepSpec, "--out", out.appendingPathComponent("s").path, "--quiet"]
        }
        let train: @Sendable (URL) -> [String] = { out in
            [
                "train", "--data", Inputs.small, "--config", Inputs.config, "--models", out.appendingPathComponent("m").path,
                "--quiet",
            ]
        }
        let infer: @Sendable (URL) -> [String] = { out in
            [
                "--models", InferCommandTests.registry, "--model", "tiny@champion", "--data", synthetic, "--as-of", "2022-02-08",
                "--out", out.appendingPathComponent("w.json").path,
            ]
        }
        return [
            Case(program: "regimen", arguments: classify, option: "--states"),
            Case(program: "regimen", arguments: classify, option: "--horizon"),
            Case(program: "regimen", arguments: classify, option: "--seed"),
            Case(program: "regimen", arguments: fit, option: "--restarts"),
            Case(program: "regimen", arguments: price, option: "--rate"),
            Case(program: "regimen", arguments: sweep, option: "--jobs"),
            Case(program: "regimen", arguments: train, option: "--seed"),
            Case(program: "regimen", arguments: train, option: "--epoch-budget"),
            Case(program: "regimen", arguments: backtest, option: "--window"),
            Case(program: "regimen", arguments: backtest, option: "--risk-window"),
            Case(program: "regimen", arguments: backtest, option: "--fee-bps"),
            Case(program: "regimen", arguments: backtest, option: "--aum"),
            Case(program: "regimen", arguments: evaluate, option: "--jobs"),
            Case(program: "regimen", arguments: evaluate, option: "--risk-window"),
            Case(program: "regimen", arguments: evaluate, option: "--fee-bps"),
            Case(program: "regimen", arguments: evaluate, option: "--aum"),
            Case(program: "regimen", arguments: evaluate, option: "--trials"),
            Case(program: "regimen", arguments: evaluate, option: "--seed"),
            Case(program: "regimen", arguments: baseline, option: "--window"),
            Case(program: "regimen", arguments: risk, option: "--window"),
            Case(program: "regimen", arguments: risk, option: "--confidence"),
            Case(program: "regimen", arguments: risk, option: "--horizon"),
            Case(program: "regimen", arguments: synth, option: "--assets"),
            Case(program: "regimen", arguments: synth, option: "--periods"),
            Case(program: "regimen", arguments: synth, option: "--futures"),
            Case(program: "regimen", arguments: synth, option: "--seed"),
            Case(program: "regimen", arguments: fit, option: "--states"),
            Case(program: "regimen", arguments: fit, option: "--seed"),
            Case(program: "regimen-infer", arguments: infer, option: "--max-staleness"),
        ]
    }

    /// Small inputs for the commands whose accepted values start real work (a classifier,
    /// a training, a sweep), so each accepted edge value runs in seconds.
    enum Inputs {
        static let folder: URL = try! Fixtures.temporaryDirectory()
        /// 3 assets x 400 days.
        static let small: String = {
            let path = folder.appendingPathComponent("data").path
            let run = try! Executables.run(
                "regimen", ["data", "synth", "--out", path, "--assets", "3", "--periods", "400", "--seed", "3"])
            precondition(run.status == 0, run.standardError)
            return path
        }()
        static let config: String = {
            let url = folder.appendingPathComponent("tiny.yaml")
            try! "regime_states: 2\nregime_restarts: 1\nhidden: [4]\nwindow: 10\nbatch: 4\nepochs: 1\nsteps_per_epoch: 2\n"
                .write(to: url, atomically: true, encoding: .utf8)
            return url.path
        }()
        /// One call and one put (py_vollib's worked inputs).
        static let chain: String = {
            let url = folder.appendingPathComponent("chain.csv")
            try!
                "asset,type,strike,expiry,forward,iv\nBTC,put,100,2024-07-01T12:00:00Z,100,0.2\nBTC,call,100,2024-07-01T12:00:00Z,100,0.2\n"
                .write(to: url, atomically: true, encoding: .utf8)
            return url.path
        }()
        /// One grid point, one seed, one fold of the tiny config.
        static let sweepSpec: String = {
            let url = folder.appendingPathComponent("sweep.yaml")
            try! """
            config: \(config)
            grid:
              learning_rate: [0.001]
            seeds: [1]
            walk_forward: "300:60:expanding"
            from: 2018-11-01
            to: 2018-12-30
            data: \(small)
            fee_bps: 10
            baselines: [equal-weight]

            """.write(to: url, atomically: true, encoding: .utf8)
            return url.path
        }()
    }

    /// A weights file for `risk` (min-variance on the synthetic default).
    static let weights: URL = {
        let url = try! Fixtures.temporaryDirectory().appendingPathComponent("w.json")
        let run = try! Executables.run(
            "regimen",
            ["baseline", "--data", synthetic, "--strategy", "min-variance", "--as-of", "2021-06-01", "--out", url.path])
        precondition(run.status == 0, run.standardError)
        return url
    }()

    /// Runs `program ARGUMENTS` under a 4 GB address-space cap, killed after 120 s.
    static func capped(_ program: String, _ arguments: [String]) throws -> Executables.Run {
        let binary = Executables.productsDirectory.appendingPathComponent(program).path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "ulimit -v 4194304; exec \"$0\" \"$@\"", binary] + arguments
        let (output, error) = (Pipe(), Pipe())
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let pid = process.processIdentifier
        DispatchQueue.global().asyncAfter(deadline: .now() + 120) { [process] in
            if process.isRunning { kill(pid, SIGKILL) }
        }
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        let errData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        return Executables.Run(
            status: status, standardOutput: String(decoding: outData, as: UTF8.self),
            standardError: String(decoding: errData, as: UTF8.self))
    }

    @Test("each value ends in 0, 64 naming the option, or 65/66; never a trap, a hang or more than 4 GB", arguments: cases)
    func edges(_ testCase: Case) throws {
        for value in Self.edges {
            let out = try Fixtures.temporaryDirectory()
            let run = try Self.capped(testCase.program, testCase.arguments(out) + [testCase.option, value])
            let place = "\(testCase) \(value)"
            #expect([0, 64, 65, 66].contains(run.status), "\(place): exit \(run.status): \(run.standardError.suffix(400))")
            #expect(!run.standardError.contains("internal error"), "\(place): \(run.standardError.suffix(400))")
            if run.status == 64 {
                #expect(
                    run.standardError.contains(testCase.option),
                    "\(place): the message must name the option: \(run.standardError)")
            }
        }
    }
}
