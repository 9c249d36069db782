import ArgumentParser
import CommandSupport
import Features
import Foundation
import Market
import Support

/// `regimen features --data DIR [--spec FILE] [--from D] [--to D] --out FILE`.
struct FeaturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "features",
        abstract: "Write feature values as CSV (date,asset,feature,value; asset empty for market-wide).",
        discussion: "Definitions: docs/features.md. Values at a date use only data up to that date.")

    @Option(help: "The dataset directory.")
    var data: String
    @Option(help: "A feature specification (YAML or JSON); defaults as in docs/features.md.")
    var spec: String?
    @Option(help: "First date to write (YYYY-MM-DD).")
    var from: String?
    @Option(help: "Last date to write (YYYY-MM-DD).")
    var to: String?
    @Option(help: "The CSV file to write.")
    var out: String

    func run() throws {
        try withExitStatus {
            let specification = try loadSpecification()
            let dataset = try DatasetReader.load(directory: data)
            try checkExogenous(specification, dataset)
            let first = try from.map { try parseDate($0, option: "--from") }
            let last = try to.map { try parseDate($0, option: "--to") }
            let rows = dataset.dates.indices.filter { index in
                let date = dataset.dates[index].day
                return (first.map { date >= $0 } ?? true) && (last.map { date <= $0 } ?? true)
            }
            guard let lower = rows.first, let upper = rows.last else {
                throw CommandFailure(
                    description: "no rows of \(data)/prices.csv fall within --from/--to", status: ExitStatus.usage)
            }
            let table = FeatureBuilder.compute(dataset, spec: specification)
            try AtomicFile.write(Data(table.longCSV(rows: lower..<(upper + 1)).utf8), to: URL(fileURLWithPath: out))
            printNote(
                "wrote \(out): \(table.assetFeatures.count) per-asset and \(table.marketFeatures.count) market-wide features, \(upper - lower + 1) rows"
            )
        }
    }

    private func loadSpecification() throws -> FeatureSpec {
        guard let spec else { return FeatureSpec() }
        let text = try InputFile.text(spec, limit: InputFile.settingsLimit)
        let decoded = try YAMLDocument.decode(FeatureSpec.self, from: text, file: spec)
        if let problem = decoded.problems.first { throw YAMLDocument.problem(problem, placedIn: text, file: spec) }
        return decoded
    }

    /// Refuses (65) a specification whose `exogenous` names a column `features.csv` lacks.
    private func checkExogenous(_ specification: FeatureSpec, _ dataset: Dataset) throws {
        guard let name = specification.missingExogenous(in: dataset).first, let spec else { return }
        let file = data.hasSuffix("/") ? data + "features.csv" : data + "/features.csv"
        let columns = dataset.exogenous.map(\.name)
        let found =
            columns.isEmpty ? "it is absent or has no columns" : "its columns: \(columns.joined(separator: ", "))"
        throw CommandFailure(
            description: "\(spec): exogenous names '\(name)', which \(file) does not have (\(found)); nothing written",
            status: ExitStatus.badData)
    }

    private func parseDate(_ text: String, option: String) throws -> Timestamp {
        guard let date = Timestamp(parsing: text) else {
            throw ValidationError("\(option) must be a date YYYY-MM-DD; found '\(text)'")
        }
        return date.day
    }
}
