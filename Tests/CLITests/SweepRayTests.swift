import Foundation
import TestSupport
import Testing

/// `regimen sweep --executor ray` (contract section 9): an address where nothing listens is
/// refused at once; without Ray, the embedded driver parses and is handed a complete bundle of
/// inputs; and on a local cluster of two nodes (started by `.ci/run`) a binary installed
/// outside the checkout runs the sweep with its inputs removed once submitted, and writes the
/// local executor's `runs.jsonl` bytes.
@Suite("regimen sweep --executor ray")
struct SweepRayTests {
    static let address = ProcessInfo.processInfo.environment["REGIMEN_RAY_ADDRESS"]
    /// The cluster's node count, each node with one CPU (`.ci/run` starts a head and a worker).
    static let nodes = ProcessInfo.processInfo.environment["REGIMEN_RAY_NODES"].flatMap(Int.init)

    @Test("--executor ray at an address where nothing listens fails within seconds (66, naming it), not a hang")
    func addressClosed() throws {
        let directory = try Fixtures.temporaryDirectory()
        let spec = try SweepCommandTests.spec(in: directory, rates: "[0.001]")
        let out = directory.appendingPathComponent("out")
        let started = Date()
        let run = try Executables.run(
            "regimen", ["sweep", "--spec", spec.path, "--out", out.path, "--executor", "ray", "--address", "127.0.0.1:9"],
            timeout: 60)
        #expect(run.status == 66 && run.standardError.contains("--address 127.0.0.1:9"), "\(run.status): \(run.standardError)")
        #expect(Date().timeIntervalSince(started) < 30)
    }

    /// A stand-in for the Python with `ray` (`--python`): it checks that the driver it is given
    /// parses as Python and that the `--bundle` folder holds the binary, the spec (its config
    /// inlined, `data: data`) and the data, prints `checked BUNDLE` and fails (exit 3).
    static let checkingPython = """
        #!/bin/sh
        driver="$1"
        while [ $# -gt 0 ]; do [ "$1" = --bundle ] && bundle="$2"; shift; done
        python3 -c 'import ast, sys; ast.parse(open(sys.argv[1]).read())' "$driver" || exit 1
        [ -x "$bundle/regimen" ] && [ -f "$bundle/data/prices.csv" ] || exit 2
        python3 -c 'import json, sys; s = json.load(open(sys.argv[1])); assert s["data"] == "data" and isinstance(s["config"], dict)' \
          "$bundle/spec.yaml" || exit 2
        echo "checked $bundle" >&2
        exit 3

        """

    @Test(
        "without Ray: the embedded driver parses as Python and is handed a bundle of the binary, the spec and the data, removed after"
    )
    func embeddedDriverAndBundle() throws {
        let directory = try Fixtures.temporaryDirectory()
        let spec = try Self.inputs(in: directory).appendingPathComponent("sweep.yaml")
        let python = directory.appendingPathComponent("python")
        try Self.checkingPython.write(to: python, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: python.path)
        let out = directory.appendingPathComponent("out")
        let run = try Executables.run(
            "regimen",
            ["sweep", "--spec", spec.path, "--out", out.path, "--executor", "ray", "--address", "auto", "--python", python.path],
            timeout: 60)
        let bundle = try #require(
            run.standardError.split(separator: "\n").first { $0.contains("checked ") }, "\(run.standardError)")
        #expect(run.status == 70 && run.standardError.contains("the Ray driver (embedded) exited 3 with 2 runs unreported"))
        #expect(!FileManager.default.fileExists(atPath: String(bundle.split(separator: "checked ").last ?? "")))
    }

    /// A folder of inputs as a user keeps them, none under the checkout: `sweep.yaml` naming
    /// `config.yaml` and `data` beside it (a copy of the synthetic default); 1 grid point x 1
    /// seed x 2 folds, 2 runs.
    static func inputs(in directory: URL) throws -> URL {
        let folder = directory.appendingPathComponent("inputs")
        let data = folder.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let synthetic = URL(fileURLWithPath: SweepCommandTests.synthetic)
        for name in try FileManager.default.contentsOfDirectory(atPath: synthetic.path) {
            try FileManager.default.copyItem(at: synthetic.appendingPathComponent(name), to: data.appendingPathComponent(name))
        }
        try """
        regime_states: 2
        regime_restarts: 1
        hidden: [8]
        batch: 8
        epochs: 1
        steps_per_epoch: 3
        ensemble: 1

        """.write(to: folder.appendingPathComponent("config.yaml"), atomically: true, encoding: .utf8)
        try """
        config: config.yaml
        grid: {learning_rate: [0.001]}
        seeds: [1]
        walk_forward: "600:150:expanding"
        from: 2021-01-01
        to: 2021-08-29
        data: data
        fee_bps: 10
        baselines: [equal-weight]

        """.write(to: folder.appendingPathComponent("sweep.yaml"), atomically: true, encoding: .utf8)
        return folder
    }

    /// Runs `regimen` at `binary` with `arguments`, calling `onLine` with each line of its
    /// stderr as it comes; returns its status and whole stderr.
    static func run(_ binary: URL, _ arguments: [String], onLine: (String) -> Void) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let (output, error) = (Pipe(), Pipe())
        process.standardOutput = output
        process.standardError = error
        try process.run()
        var text = ""
        var pending = Data()
        while true {
            let chunk = error.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            pending.append(chunk)
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                pending = Data(pending[(newline + 1)...])
                text += line + "\n"
                onLine(line)
            }
        }
        _ = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    @Test(
        "on two Ray nodes, an installed binary whose inputs are removed once submitted writes the local runs.jsonl bytes",
        .enabled(
            if: address != nil && nodes != nil,
            "REGIMEN_RAY_ADDRESS and REGIMEN_RAY_NODES are not set (.ci/run starts a local two-node Ray cluster and sets them)"
        ))
    func twoNodes() throws {
        let directory = try Fixtures.temporaryDirectory()
        let inputs = try Self.inputs(in: directory)
        let spec = inputs.appendingPathComponent("sweep.yaml").path
        let local = directory.appendingPathComponent("local")
        #expect(try Executables.run("regimen", ["sweep", "--spec", spec, "--out", local.path, "--quiet"]).status == 0)
        // Installed outside the checkout: no scripts/ beside it, the driver is the embedded one.
        let binary = directory.appendingPathComponent("bin/regimen")
        try FileManager.default.createDirectory(at: binary.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Executables.productsDirectory.appendingPathComponent("regimen"), to: binary)
        let onRay = directory.appendingPathComponent("ray")
        var removed = false
        let (status, notes) = try Self.run(
            binary, ["sweep", "--spec", spec, "--out", onRay.path, "--executor", "ray", "--address", Self.address!]
        ) { line in
            // Once the runs are submitted the inputs and the binary are gone: a worker reading a
            // path of this machine (the spec, its config, the data, the binary) would fail.
            guard line.contains("runs submitted to Ray"), !removed else { return }
            removed = [inputs, binary.deletingLastPathComponent()].allSatisfy {
                (try? FileManager.default.removeItem(at: $0)) != nil
            }
        }
        #expect(status == 0 && removed, "\(status): \(notes)")
        #expect(notes.contains("2 runs ran on \(min(Self.nodes!, 2)) Ray node(s)"), "\(notes)")
        let bytes = try Data(contentsOf: local.appendingPathComponent("runs.jsonl"))
        #expect(try Data(contentsOf: onRay.appendingPathComponent("runs.jsonl")) == bytes)
        #expect(try SweepCommandTests.lines(onRay.appendingPathComponent("runs.jsonl")).count == 2)
    }
}
