import ArgumentParser
import CommandSupport
import Foundation
import ModelStore
import Policy
import Support
import Training

/// `regimen models list|show|promote|diff`: the registry (contract section 4).
struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models", abstract: "List, show, promote and compare model versions.",
        subcommands: [ListModels.self, ShowModel.self, PromoteModel.self, DiffModels.self])
}

/// Shared `--models` option and helpers.
struct RegistryOptions: ParsableArguments {
    @Option(help: "The model registry.") var models: String = "models"

    /// The registry at `--models`; a file there is refused (64) rather than read as empty.
    func registry() throws -> ModelRegistry {
        try OutputFolder.check(models, option: "--models", purpose: "the model registry")
        return ModelRegistry(root: URL(fileURLWithPath: models))
    }

    func manifest(_ text: String) throws -> (ModelRegistry.Reference, ModelManifest) {
        guard let reference = ModelRegistry.Reference(parsing: text) else {
            throw ValidationError("a model is NAME:VERSION or NAME@ALIAS; found '\(text)'")
        }
        let loaded = try PolicyModel.load(reference, from: registry())
        return (reference, loaded.manifest)
    }
}

/// `models list`: every version, one row each; a fold model of `evaluate --configs` is
/// marked in the last column with its recipe and test dates.
struct ListModels: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "A table of every version.")
    @OptionGroup var options: RegistryOptions

    func run() throws {
        try withExitStatus {
            let registry = try options.registry()
            var rows = [["name", "version", "created", "train", "validation Sharpe", "aliases", "fold model"]]
            for name in registry.names() {
                // A damaged aliases.json is shown, not fatal to the listing (promote refuses it).
                let aliases = try? registry.aliases(of: name)
                rows += registry.versions(of: name).map { Self.row(registry, name, $0, aliases: aliases) }
            }
            let widths = rows[0].indices.map { c in rows.map { $0[c].count }.max()! }
            for row in rows {
                let line = zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                print(line.replacingOccurrences(of: " +$", with: "", options: .regularExpression))
            }
        }
    }

    /// One version's row; its manifest read unchecked (`show` verifies it).
    static func row(_ registry: ModelRegistry, _ name: String, _ version: Int, aliases: [String: Int]?) -> [String] {
        let path = registry.directory(name, version).appendingPathComponent("manifest.json").path
        let manifest = (try? InputFile.data(path, limit: InputFile.settingsLimit)).flatMap {
            try? JSONDecoder().decode(ModelManifest.self, from: $0)
        }
        let sharpe = manifest?.metrics["validation_sharpe"].flatMap { $0 }.map { String(format: "%.3f", $0) } ?? "-"
        return [
            name, String(version), manifest?.createdAt ?? "damaged", manifest.map { "\($0.train.from)..\($0.train.to)" } ?? "-",
            sharpe,
            aliases.map { $0.filter { $0.value == version }.keys.sorted().joined(separator: ",") } ?? "(aliases.json damaged)",
            manifest?.fold?.label ?? "",
        ]
    }
}

struct ShowModel: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "A version's manifest (checksums verified).")
    @OptionGroup var options: RegistryOptions
    @Argument(help: "NAME:VERSION or NAME@ALIAS.") var model: String

    func run() throws {
        try withExitStatus {
            let (_, manifest) = try options.manifest(model)
            FileHandle.standardOutput.write(try CanonicalJSON.encode(manifest))
        }
    }
}

/// `models promote`: points an alias at a version; a fold model only with `--allow-fold-model`.
struct PromoteModel: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "promote", abstract: "Point an alias (champion, ...) at a version, atomically.")
    @OptionGroup var options: RegistryOptions
    @Argument(help: "The model name.") var name: String
    @Argument(help: "The version.") var version: Int
    @Option(help: "The alias.") var alias: String = "champion"
    @Flag(
        name: .customLong("allow-fold-model"),
        help: "Promote a fold model of evaluate --configs (refused without it: it was trained for one test fold).")
    var allowFoldModel = false
    @Option(
        help:
            "An MLflow tracking server whose Model Registry also gets the version (its files, the alias), e.g. http://127.0.0.1:5000."
    )
    var mlflow: String?
    @Option(name: .customLong("mlflow-experiment"), help: "The MLflow experiment of the runs holding the files (with --mlflow).")
    var mlflowExperiment: String = "regimen-models"

    /// Checks the names, the version and the MLflow URL before anything changes (64).
    func validate() throws {
        for (what, value) in [("model name", name), ("alias", alias)] where !ModelRegistry.isValidName(value) {
            throw ValidationError("the \(what) '\(value)' must be \(ModelRegistry.nameRule)")
        }
        guard version >= 1 else { throw ValidationError("the version must be at least 1; found \(version)") }
        if let mlflow { _ = try ServerURL.check(mlflow, option: "--mlflow") }
    }

    /// Promotes locally, after registering the version in MLflow when `--mlflow` is given.
    func run() throws {
        try withExitStatus {
            let registry = try options.registry()
            let target = mlflow.map { TrainingJob.MLflowTarget(server: $0, experiment: mlflowExperiment) }
            let registered = try Promotion.run(
                registry, name: name, version: version, alias: alias, mlflow: target, allowFoldModel: allowFoldModel)
            if let registered, let mlflow {
                printNote(
                    "MLflow \(mlflow): registered model \(name) version \(registered.mlflowVersion) (\(registered.created ? "created" : "already there")), alias \(alias)"
                )
            }
            printNote("\(name)@\(alias) -> \(version)")
        }
    }
}

/// `models diff`: config, data and metric differences between two versions.
struct DiffModels: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff", abstract: "Config and metric differences between two versions.")
    @OptionGroup var options: RegistryOptions
    @Argument(help: "The first version (NAME:VERSION or NAME@ALIAS).") var first: String
    @Argument(help: "The second version.") var second: String

    func run() throws {
        try withExitStatus {
            let (_, a) = try options.manifest(first)
            let (_, b) = try options.manifest(second)
            var lines: [String] = []
            func flatten(_ value: JSONValue, _ prefix: String, into map: inout [String: String]) {
                switch value {
                case .object(let object):
                    for (key, inner) in object { flatten(inner, prefix.isEmpty ? key : "\(prefix).\(key)", into: &map) }
                case .array(let items): map[prefix] = "[" + items.map { "\($0)" }.joined(separator: ", ") + "]"
                case .number(let n): map[prefix] = "\(n)"
                case .string(let s): map[prefix] = s
                case .bool(let v): map[prefix] = "\(v)"
                case .null: map[prefix] = "null"
                }
            }
            var left: [String: String] = [:]
            var right: [String: String] = [:]
            flatten(a.config, "config", into: &left)
            flatten(b.config, "config", into: &right)
            for (key, value) in a.metrics { left["metrics.\(key)"] = value.map { "\($0)" } ?? "null" }
            for (key, value) in b.metrics { right["metrics.\(key)"] = value.map { "\($0)" } ?? "null" }
            left["data_fingerprint"] = a.dataFingerprint
            right["data_fingerprint"] = b.dataFingerprint
            for key in Set(left.keys).union(right.keys).sorted() where left[key] != right[key] {
                lines.append("\(key): \(left[key] ?? "-") -> \(right[key] ?? "-")")
            }
            print(lines.isEmpty ? "no differences in config, data or metrics" : lines.joined(separator: "\n"))
        }
    }
}
