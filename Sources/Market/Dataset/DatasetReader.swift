import Foundation
import Support

/// Reads a dataset directory into a `Dataset`, checking every rule of contract section 1.
///
/// `load(directory:)` throws the first problem (commands that need the data);
/// `validate(directory:)` reports every problem, up to 50, so a file is fixed in one pass.
package enum DatasetReader {
    /// Loads the dataset in `directory`.
    /// - Throws: the first `DatasetError` (by file, then line and column).
    package static func load(directory: String) throws(DatasetError) -> Dataset {
        let (dataset, problems) = validate(directory: directory)
        if let first = problems.first { throw first }
        return dataset!
    }

    /// Reads the dataset in `directory`, collecting every problem.
    /// - Returns: the dataset when there is no problem, and the problems (at most 50).
    package static func validate(directory: String) -> (dataset: Dataset?, problems: [DatasetError]) {
        var problems = ProblemCollector()
        let dataset = try? read(directory: directory, problems: &problems)
        return (problems.problems.isEmpty ? dataset : nil, inReadingOrder(problems.problems))
    }

    private static func read(directory: String, problems: inout ProblemCollector) throws -> Dataset? {
        let path = { (name: String) in directory.hasSuffix("/") ? directory + name : directory + "/" + name }
        let pricesPath = path("prices.csv")
        guard let pricesText = try readText(pricesPath, required: true, problems: &problems) else { return nil }
        var config = DatasetConfig()
        if let yaml = try readText(path("dataset.yaml"), required: false, problems: &problems) {
            config = try DatasetConfig.parse(yaml, file: path("dataset.yaml"), problems: &problems)
        }
        guard let prices = try PriceTableReader.read(pricesText, file: pricesPath, problems: &problems) else { return nil }
        var funding: [FundingSeries] = []
        if let text = try readText(path("funding.csv"), required: false, problems: &problems) {
            funding = try FundingReader.read(text, file: path("funding.csv"), prices: prices, problems: &problems)
        }
        var exogenous: [ExogenousSeries] = []
        if let text = try readText(path("features.csv"), required: false, problems: &problems) {
            exogenous = try ExogenousReader.read(text, file: path("features.csv"), problems: &problems)
        }
        for (column, asset) in prices.assets.enumerated() where asset == config.cash {
            try problems.report(DatasetError(file: pricesPath, line: 1, column: column + 2, rule: .assetNamedLikeCash(asset)))
        }
        for (asset, kind) in config.kinds.sorted(by: { $0.key < $1.key }) {
            if !prices.assets.contains(asset) {
                try problems.report(DatasetError(file: path("dataset.yaml"), rule: .unknownAsset(asset)))
            } else if kind == .spot && funding.contains(where: { $0.asset == asset }) {
                try problems.report(
                    DatasetError(
                        file: path("dataset.yaml"),
                        rule: .invalidConfigValue(
                            key: "kind.\(asset)", value: "spot",
                            rule: "an asset with a funding.csv column is held through its perp")))
            }
        }
        guard problems.problems.isEmpty else { return nil }
        return Dataset(
            dates: prices.dates[...], assets: prices.assets, prices: prices.values[...], firstRows: prices.firstRows,
            funding: funding, exogenous: exogenous, config: config,
            periodsPerYear: config.periodsPerYear ?? PeriodsPerYear.infer(from: prices.dates))
    }

    /// Problems grouped by file (in the order files were read) and sorted by place within
    /// each, so the first is the one a reader of the file meets first.
    private static func inReadingOrder(_ problems: [DatasetError]) -> [DatasetError] {
        var fileOrder: [String: Int] = [:]
        for problem in problems where fileOrder[problem.file] == nil { fileOrder[problem.file] = fileOrder.count }
        return problems.enumerated().sorted { a, b in
            let ka = (fileOrder[a.element.file]!, a.element.line ?? 0, a.element.column ?? 0, a.offset)
            let kb = (fileOrder[b.element.file]!, b.element.line ?? 0, b.element.column ?? 0, b.offset)
            return ka < kb
        }.map(\.element)
    }

    /// The file's text, nil when absent and optional.
    private static func readText(_ path: String, required: Bool, problems: inout ProblemCollector) throws -> String? {
        do throws(InputFile.Problem) {
            return try InputFile.text(path, limit: InputFile.dataLimit)
        } catch {
            if !error.isMissing {
                try problems.report(DatasetError(file: path, rule: .unreadable(error.rule)))
            } else if required {
                try problems.report(DatasetError(file: path, rule: .missingFile))
            }
            return nil
        }
    }
}
