import ArgumentParser
import CommandSupport
import Foundation
import Market
import ModelStore
import Policy
import Support

/// `regimen data`: validate, synthesise and import datasets (contract sections 1 and 5).
struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data", abstract: "Validate, synthesise and import datasets.",
        subcommands: [ValidateCommand.self, SynthCommand.self, ImportCommand.self])
}

/// `regimen data validate --data DIR`.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a dataset directory; print a summary and every problem (exit 65 on errors).")

    @Option(help: "The dataset directory (prices.csv, optional funding.csv, features.csv, dataset.yaml).")
    var data: String
    @Option(help: "Also check that this model can read the data, as the daily job will (NAME:VERSION or NAME@ALIAS).")
    var model: String?
    @Option(help: "The model registry (with --model).") var models: String = "models"

    func validate() throws {
        if let model, ModelRegistry.Reference(parsing: model) == nil {
            throw ValidationError("--model must be NAME:VERSION or NAME@ALIAS; found '\(model)'")
        }
    }

    func run() throws {
        try withExitStatus {
            let (dataset, problems) = DatasetReader.validate(directory: data)
            if let dataset {
                printNote(DatasetSummary(dataset).text(directory: data))
                if let model { try checkModel(model, reads: dataset) }
                return
            }
            if problems.count == 1, problems[0].isMissingInput { throw problems[0] }
            for problem in problems { printError(problem.description) }
            let more = problems.count >= 50 ? " (stopped at 50; fix these and run again)" : ""
            throw CommandFailure(
                description: "\(data): \(problems.count) problem\(problems.count == 1 ? "" : "s") found\(more)",
                status: ExitStatus.badData)
        }
    }
}

extension ValidateCommand {
    /// Refuses (65, naming the dataset) data the model cannot read: the features its
    /// normalisation and networks were trained on, exactly the daily job's check.
    func checkModel(_ reference: String, reads dataset: Dataset) throws {
        guard let parsed = ModelRegistry.Reference(parsing: reference) else { return }
        try OutputFolder.check(models, option: "--models", purpose: "the model registry")
        let (allocator, manifest) = try PolicyModel.load(parsed, from: ModelRegistry(root: URL(fileURLWithPath: models)))
        do {
            _ = try allocator.inputs(dataset, onlyRows: (dataset.rowCount - 1)...(dataset.rowCount - 1))
        } catch {
            throw LocatedError(place: data, error)
        }
        printNote("model \(manifest.name):\(manifest.version) reads these data")
    }
}

/// `regimen data synth --out DIR --assets N --periods T --seed S`.
struct SynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth", abstract: "Write a synthetic regime-switching market (same seed, same bytes).")

    @Option(help: "The directory to write (created if needed; existing dataset files are replaced).")
    var out: String
    @Option(help: "Number of assets (2 to 500).")
    var assets: Int = 8
    @Option(help: "Number of daily periods (30 to 50000; assets x periods at most 5000000).")
    var periods: Int = 1500
    @Option(help: "Seed of the generator.")
    var seed: UInt64 = 7
    @Option(help: "How many of the spot assets (the last ones) to hold through monthly dated futures (futures.csv).")
    var futures: Int = 0

    /// The sizes are bounded so that the market fits in memory: every series is assets x
    /// periods doubles (Int.max assets trapped allocating).
    func validate() throws {
        try OptionRange.check(assets, in: 2...500, option: "--assets")
        guard (0...(assets / 2)).contains(futures) else {
            throw ValidationError("--futures must be from 0 to \(assets / 2) (the spot half of the assets); found \(futures)")
        }
        try OptionRange.check(periods, in: 30...50_000, option: "--periods")
        guard assets * periods <= 5_000_000 else {
            throw ValidationError("--assets x --periods must be at most 5000000; found \(assets * periods)")
        }
    }

    func run() throws {
        try withExitStatus {
            let market = SyntheticMarket(assets: assets, periods: periods, seed: seed, futures: futures)
            try market.files.write(to: URL(fileURLWithPath: out))
            let held = futures > 0 ? ", \(futures) held through futures" : ""
            printNote("wrote \(out): \(assets) assets\(held), \(periods) periods, seed \(seed)")
        }
    }
}
