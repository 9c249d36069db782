import Foundation
import Support

/// Reads a dataset directory into a `Dataset`, checking every rule of contract section 1.
///
/// `load(directory:)` throws the first problem (commands that need the data);
/// `validate(directory:)` reports every problem, up to 50, so a file is fixed in one pass.
package enum DatasetReader {
    /// The files of a dataset directory that `load` reads (only `prices.csv` is required);
    /// other files there are never read, so a copy of these is the whole dataset.
    package static let fileNames = ["prices.csv", "dataset.yaml", "funding.csv", "features.csv", "futures.csv", "ohlcv.csv"]

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
        // Before the files that name assets, so a renamed column is reported where it was renamed.
        for (column, asset) in prices.assets.enumerated() where asset == config.cash {
            try problems.report(DatasetError(file: pricesPath, line: 1, column: column + 2, rule: .assetNamedLikeCash(asset)))
        }
        var funding: [FundingSeries] = []
        if let text = try readText(path("funding.csv"), required: false, problems: &problems) {
            funding = try FundingReader.read(text, file: path("funding.csv"), prices: prices, problems: &problems)
        }
        var exogenous: [ExogenousSeries] = []
        if let text = try readText(path("features.csv"), required: false, problems: &problems) {
            exogenous = try ExogenousReader.read(text, file: path("features.csv"), problems: &problems)
        }
        var contracts: [String: [FuturesContract]] = [:]
        if let text = try readText(path("futures.csv"), required: false, problems: &problems) {
            contracts = try FuturesReader.read(text, file: path("futures.csv"), prices: prices, problems: &problems)
        }
        var volumes: [Double]?
        if let text = try readText(path("ohlcv.csv"), required: false, problems: &problems) {
            volumes = try OhlcvReader.read(
                text, file: path("ohlcv.csv"), prices: prices, unit: config.volumeUnit, problems: &problems)
        }
        try checkConfigReferences(
            config, prices: prices, funding: funding, exogenous: exogenous, contracts: contracts, file: path("dataset.yaml"),
            problems: &problems)
        guard problems.problems.isEmpty else { return nil }
        var dataset = Dataset(
            dates: prices.dates[...], assets: prices.assets, prices: prices.values[...], firstRows: prices.firstRows,
            funding: funding, exogenous: exogenous, config: config,
            periodsPerYear: config.periodsPerYear ?? PeriodsPerYear.infer(from: prices.dates))
        dataset.futures = prices.assets.compactMap { asset in
            contracts[asset].map {
                FuturesChain(asset: asset, contracts: $0, rollDays: config.rollDays(of: asset), dates: prices.dates[...])
            }
        }
        dataset.dollarVolumes = volumes?[...]
        return try holdingInstruments(dataset, file: path("futures.csv"), problems: &problems)
    }

    /// Reports `dataset.yaml`'s keys that name what the other files lack: an unknown asset, a
    /// `future` without contracts, a `spot` asset with funding, `auto` beside a kind, an
    /// implied-vol column `features.csv` lacks, roll days of an unknown asset.
    private static func checkConfigReferences(
        _ config: DatasetConfig, prices: PriceTableReader, funding: [FundingSeries], exogenous: [ExogenousSeries],
        contracts: [String: [FuturesContract]], file: String, problems: inout ProblemCollector
    ) throws {
        for (asset, kind) in config.kinds.sorted(by: { $0.key < $1.key }) {
            if !prices.assets.contains(asset) {
                try problems.report(DatasetError(file: file, rule: .unknownAsset(asset)))
            } else if kind == .future && contracts[asset] == nil {
                try problems.report(
                    DatasetError(
                        file: file,
                        rule: .invalidConfigValue(
                            key: "kind.\(asset)", value: "future", rule: "futures.csv has no contract on \(asset)")))
            } else if kind == .spot && funding.contains(where: { $0.asset == asset }) {
                try problems.report(
                    DatasetError(
                        file: file,
                        rule: .invalidConfigValue(
                            key: "kind.\(asset)", value: "spot",
                            rule: "an asset with a funding.csv column is held through its perp")))
            }
        }
        for asset in config.autoInstrument.sorted() {
            if !prices.assets.contains(asset) {
                try problems.report(DatasetError(file: file, rule: .unknownAsset(asset)))
            } else if let kind = config.kinds[asset] {
                try problems.report(
                    DatasetError(
                        file: file,
                        rule: .invalidConfigValue(
                            key: "instrument.\(asset)", value: "auto",
                            rule: "kind.\(asset) is set to \(kind.rawValue) too; auto chooses among spot, perp and future")))
            }
        }
        for (asset, column) in config.impliedVolatility.sorted(by: { $0.key < $1.key }) {
            if !prices.assets.contains(asset) {
                try problems.report(DatasetError(file: file, rule: .unknownAsset(asset)))
            } else if !exogenous.contains(where: { $0.name == column }) {
                try problems.report(
                    DatasetError(
                        file: file,
                        rule: .invalidConfigValue(
                            key: "implied_vol.\(asset)", value: column, rule: "features.csv has no such column")))
            }
        }
        for asset in config.rollDaysByAsset.keys.sorted() where !prices.assets.contains(asset) {
            try problems.report(DatasetError(file: file, rule: .unknownAsset(asset)))
        }
    }

    /// The dataset with each asset of kind `future` valued through its rolled contract, and
    /// each asset whose instrument `instrument: auto` chooses valued through the instrument
    /// chosen at each decision (its funding charged only while its perp is held).
    private static func holdingInstruments(_ dataset: Dataset, file: String, problems: inout ProblemCollector) throws
        -> Dataset?
    {
        let n = dataset.assets.count
        var values = Array(dataset.prices)
        var firstRows = dataset.firstRows
        var underlying: [String: ArraySlice<Double>] = [:]
        var instruments: [String: ArraySlice<Instrument?>] = [:]
        var funding = dataset.funding
        let spotOf = { (asset: Int) in { (row: Int) in dataset.price(row: row, asset: asset) } }
        for (asset, name) in dataset.assets.enumerated() {
            let held: [Double]
            if dataset.config.choosesInstrument(of: name) {
                let fundingIndex = funding.firstIndex { $0.asset == name }
                let chosen = InstrumentChoice.choose(
                    rows: dataset.rowCount, spot: spotOf(asset),
                    funding: fundingIndex.flatMap { index in
                        funding[index].firstRecordedRow.map { (funding[index].rates, $0) }
                    },
                    chain: dataset.futuresChain(of: name), dates: dataset.dates, periodsPerYear: dataset.periodsPerYear,
                    window: dataset.config.carryWindow, fee: (dataset.config.feeBasisPoints ?? 0) / 10_000)
                held = chosenValues(dataset, asset: asset, chosen: chosen)
                if let index = fundingIndex {
                    let rates = funding[index].rates
                    let charged = (0..<dataset.rowCount).map { row in row >= 1 && chosen[row - 1] == .perp ? rates[row] : 0 }
                    funding[index] = FundingSeries(
                        asset: name, rates: charged[...], missingRows: funding[index].missingRows,
                        firstRecordedRow: funding[index].firstRecordedRow)
                }
                instruments[name] = chosen[...]
            } else if dataset.kind(of: name) == .future {
                let chain = dataset.futuresChain(of: name)!
                do throws(FuturesChain.HoldingProblem) {
                    held = try chain.heldValues(spot: spotOf(asset), range: PriceTableReader.priceRange)
                } catch {
                    let rule: DatasetError.Rule =
                        switch error {
                        case .noContract(let row):
                            .noQualifyingContract(asset: name, date: "\(dataset.dates[row])", rollDays: chain.rollDays)
                        case .outOfRange(let row): .heldValueOutOfRange(asset: name, date: "\(dataset.dates[row])")
                        }
                    try problems.report(DatasetError(file: file, rule: rule))
                    continue
                }
            } else {
                continue
            }
            guard let first = held.firstIndex(where: { !$0.isNaN }) else {
                try problems.report(
                    DatasetError(
                        file: file,
                        rule: .noQualifyingContract(
                            asset: name, date: "any date", rollDays: dataset.config.rollDays(of: name))))
                continue
            }
            if let row = held.indices.first(where: { $0 > first && !PriceTableReader.priceRange.contains(held[$0]) }) {
                try problems.report(
                    DatasetError(file: file, rule: .heldValueOutOfRange(asset: name, date: "\(dataset.dates[row])")))
                continue
            }
            underlying[name] = (0..<dataset.rowCount).map { dataset.prices[$0 * n + asset] }[...]
            for row in 0..<dataset.rowCount { values[row * n + asset] = held[row] }
            firstRows[asset] = first
        }
        guard problems.problems.isEmpty else { return nil }
        guard !underlying.isEmpty else { return dataset }
        var result = Dataset(
            dates: dataset.dates, assets: dataset.assets, prices: values[...], firstRows: firstRows,
            funding: funding, exogenous: dataset.exogenous, config: dataset.config,
            periodsPerYear: dataset.periodsPerYear)
        result.futures = dataset.futures
        result.underlyingCloses = underlying
        result.instruments = instruments
        result.dollarVolumes = dataset.dollarVolumes
        return result
    }

    /// The value of one unit of `asset` held through the instrument chosen at each decision:
    /// the spot close at listing, then compounded by the period return of the instrument
    /// chosen at the decision before (spot and perp earn the spot return; funding is charged
    /// apart, as for every perp).
    private static func chosenValues(_ dataset: Dataset, asset: Int, chosen: [Instrument?]) -> [Double] {
        let chain = dataset.futuresChain(of: dataset.assets[asset])
        var values = [Double](repeating: .nan, count: dataset.rowCount)
        for row in 0..<dataset.rowCount {
            guard let spot = dataset.price(row: row, asset: asset) else { continue }
            guard row >= 1, let before = chosen[row - 1], !values[row - 1].isNaN else {
                values[row] = spot
                continue
            }
            let periodReturn: Double
            switch before {
            case .spot, .perp:
                periodReturn = spot / dataset.price(row: row - 1, asset: asset)! - 1
            case .future:
                periodReturn = chain!.heldContract(atRow: row - 1)!.periodReturn(intoRow: row, spot: spot)
            }
            values[row] = values[row - 1] * (1 + periodReturn)
        }
        return values
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

    /// The file's text, nil when absent and optional, or when it starts with more than one
    /// byte-order mark (reported at 1:1). One mark is what spreadsheets write; a second is
    /// left by a tool that added its own to a file that had one, and the text behind it is
    /// not what the file's author wrote.
    private static func readText(_ path: String, required: Bool, problems: inout ProblemCollector) throws -> String? {
        let data: Data
        do throws(InputFile.Problem) { data = try InputFile.data(path, limit: InputFile.dataLimit) } catch {
            try report(error, required: required, problems: &problems)
            return nil
        }
        guard !data.starts(with: InputFile.byteOrderMark + InputFile.byteOrderMark) else {
            try problems.report(DatasetError(file: path, line: 1, column: 1, rule: .repeatedByteOrderMark))
            return nil
        }
        do throws(InputFile.Problem) { return try InputFile.text(decoding: data, file: path) } catch {
            try report(error, required: required, problems: &problems)
            return nil
        }
    }

    /// Reports a file that cannot be read: unreadable, or missing when `required`.
    private static func report(_ error: InputFile.Problem, required: Bool, problems: inout ProblemCollector) throws {
        if !error.isMissing {
            try problems.report(DatasetError(file: error.file, rule: .unreadable(error.rule)))
        } else if required {
            try problems.report(DatasetError(file: error.file, rule: .missingFile))
        }
    }
}
