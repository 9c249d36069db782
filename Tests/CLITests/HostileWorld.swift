import Foundation
import Support
import TestSupport

/// A fresh, complete Regimen installation for one hostile case: a small synthetic dataset, a
/// registry with `tiny:1` (aliased `champion`), a valid limits file, a config, a previous
/// weights file, and an `out/` folder for outputs. Each case breaks a copy of it, runs one
/// command, and checks that nothing in it was created or changed.
struct HostileWorld {
    let root: URL
    var data: URL { root.appendingPathComponent("data") }
    var models: URL { root.appendingPathComponent("models") }
    var version: URL { models.appendingPathComponent("tiny/1") }
    var limits: URL { root.appendingPathComponent("limits.yaml") }
    var config: URL { root.appendingPathComponent("tiny.yaml") }
    var spec: URL { root.appendingPathComponent("spec.yaml") }
    var previous: URL { root.appendingPathComponent("previous.json") }
    var out: URL { root.appendingPathComponent("out") }
    /// A decision date well inside the data.
    static let asOf = "2019-01-20"

    /// The template, built once per test process (data synthesised, model trained).
    static let template: URL = {
        let root = try! Fixtures.temporaryDirectory().appendingPathComponent("world")
        try! FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let data = root.appendingPathComponent("data").path
        _ = try! Executables.run(
            "regimen", ["data", "synth", "--out", data, "--assets", "4", "--periods", "400", "--seed", "11"])
        try! "regime_states: 2\nregime_restarts: 1\nhidden: [4]\nwindow: 10\nbatch: 4\nepochs: 1\nsteps_per_epoch: 2\n"
            .write(to: root.appendingPathComponent("tiny.yaml"), atomically: true, encoding: .utf8)
        let models = root.appendingPathComponent("models").path
        let trained = try! Executables.run(
            "regimen",
            ["train", "--data", data, "--config", root.appendingPathComponent("tiny.yaml").path, "--models", models, "--quiet"])
        precondition(trained.status == 0, trained.standardError)
        _ = try! Executables.run("regimen", ["models", "promote", "tiny", "1", "--models", models])
        try!
            "max_weight: 0.5\nmin_cash: 0.05\ntarget_vol: 0.8\nmax_es: 0.2\nasset_max:\n  SYN1: 0.3\nregime_max_gross:\n  r0: 1\n"
            .write(to: root.appendingPathComponent("limits.yaml"), atomically: true, encoding: .utf8)
        try! "horizons: [1, 5]\nvolatility_window: 10\n".write(
            to: root.appendingPathComponent("spec.yaml"), atomically: true, encoding: .utf8)
        let previous = try! Executables.run(
            "regimen-infer",
            [
                "--models", models, "--model", "tiny:1", "--data", data, "--as-of", "2019-01-10", "--out",
                root.appendingPathComponent("previous.json").path,
            ])
        precondition(previous.status == 0, previous.standardError)
        try! FileManager.default.createDirectory(at: root.appendingPathComponent("out"), withIntermediateDirectories: true)
        return root
    }()

    /// A fresh copy of the template.
    static func make() throws -> HostileWorld {
        let root = try Fixtures.temporaryDirectory().appendingPathComponent("world")
        try FileManager.default.copyItem(at: template, to: root)
        return HostileWorld(root: root)
    }

    // MARK: Breaking things

    /// Replaces `file` with `text`.
    func write(_ text: String, to file: URL) throws { try Data(text.utf8).write(to: file) }

    /// Replaces `file` with `bytes`.
    func write(bytes: [UInt8], to file: URL) throws { try Data(bytes).write(to: file) }

    /// Replaces `file` with a directory of the same name.
    func makeDirectory(at file: URL) throws {
        try? FileManager.default.removeItem(at: file)
        try FileManager.default.createDirectory(at: file, withIntermediateDirectories: true)
    }

    /// Replaces `file` with a FIFO (a reader that opens it would block).
    func makeFIFO(at file: URL) throws {
        try? FileManager.default.removeItem(at: file)
        guard mkfifo(file.path, 0o644) == 0 else { throw CocoaError(.fileWriteUnknown) }
    }

    /// Sets the cell of `prices.csv` at 1-based data `row` (after the header) and `column`
    /// (the date is column 0).
    func setPrice(row: Int, column: Int, to text: String) throws {
        let file = data.appendingPathComponent("prices.csv")
        var lines = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
        var fields = lines[row].components(separatedBy: ",")
        fields[column] = text
        lines[row] = fields.joined(separator: ",")
        try write(lines.joined(separator: "\n"), to: file)
    }

    /// Edits the lines of a data file.
    func editLines(_ name: String, _ edit: (inout [String]) -> Void) throws {
        let file = data.appendingPathComponent(name)
        var lines = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
        edit(&lines)
        try write(lines.joined(separator: "\n"), to: file)
    }

    /// Replaces a file of the version and records its new checksum in the manifest, as an
    /// attacker who knows the format would (so the checksum check alone does not catch it).
    func tamper(_ file: String, with bytes: Data) throws {
        try bytes.write(to: version.appendingPathComponent(file))
        try editManifest { $0["files", default: [:]] = Self.merging($0["files"], file, SHA256.hex([UInt8](bytes))) }
    }

    /// Edits a JSON file of the version as an object and records its new checksum.
    func tamperJSON(_ file: String, _ edit: (inout [String: Any]) -> Void) throws {
        var object =
            try JSONSerialization.jsonObject(with: Data(contentsOf: version.appendingPathComponent(file))) as! [String: Any]
        edit(&object)
        try tamper(file, with: JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }

    /// Edits `manifest.json` as a JSON object.
    func editManifest(recordingDigest: Bool = true, _ edit: (inout [String: Any]) -> Void) throws {
        let url = version.appendingPathComponent("manifest.json")
        var object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        edit(&object)
        try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]).write(to: url)
        if recordingDigest { try recordDigest() }
    }

    /// Records the manifest's current digest in the registry's `versions.json`, as a user who
    /// edits both would: the model's deeper checks must still refuse a bad manifest.
    func recordDigest() throws {
        let digests = version.deletingLastPathComponent().appendingPathComponent("versions.json")
        var map = try JSONSerialization.jsonObject(with: Data(contentsOf: digests)) as! [String: String]
        map[version.lastPathComponent] = SHA256.hex(
            [UInt8](try Data(contentsOf: version.appendingPathComponent("manifest.json"))))
        try JSONSerialization.data(withJSONObject: map, options: [.sortedKeys]).write(to: digests)
    }

    /// The text of a model file.
    func modelText(_ file: String) throws -> String {
        try String(contentsOf: version.appendingPathComponent(file), encoding: .utf8)
    }

    private static func merging(_ files: Any?, _ key: String, _ value: String) -> [String: String] {
        var map = files as? [String: String] ?? [:]
        map[key] = value
        return map
    }

    // MARK: What must not change

    /// Every entry below the root: its kind and, for regular files, its bytes' SHA-256 (never
    /// opening a FIFO or following a link).
    func snapshot() -> [String: String] {
        var entries: [String: String] = [:]
        let enumerator = FileManager.default.enumerator(atPath: root.path)
        while let relative = enumerator?.nextObject() as? String {
            let path = root.appendingPathComponent(relative).path
            var status = stat()
            guard lstat(path, &status) == 0 else { continue }
            switch status.st_mode & S_IFMT {
            case S_IFREG: entries[relative] = SHA256.hex([UInt8](FileManager.default.contents(atPath: path) ?? Data()))
            case S_IFDIR: entries[relative] = "directory"
            case S_IFLNK: entries[relative] = "link"
            default: entries[relative] = "special"
            }
        }
        return entries
    }
}
