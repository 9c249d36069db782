import Foundation
import Support

/// Converts price (and Binance funding) exports into a dataset directory's files.
///
/// Prices are copied as text, unchanged; rows are the union of the assets' dates; nothing
/// is filled in (a missing day after listing stays a gap for `data validate` to report);
/// funding is the sum of each UTC day's settlements. Any error stops the import before
/// anything is written. Rules: `Tests/MarketTests/Fixtures/import/README.md`.
package struct PriceImporter {
    /// The files to write and the warnings for stderr (skipped rows, dropped funding days).
    package struct Result: Sendable {
        package let files: DatasetFiles
        package let warnings: [String]
    }

    /// Price text per asset per day number.
    var prices: [String: [Int: String]] = [:]
    /// Which symbol (file stem) each asset came from, to catch two symbols with one name.
    var symbols: [String: String] = [:]
    /// Funding settlements per asset: (time, rate, file, line).
    var settlements: [String: [(time: Int64, rate: Double)]] = [:]
    /// Daily bars per asset per day number: the text of open, high, low, close and volume
    /// (rule Y7), and what each asset's volume counts.
    var bars: [String: [Int: [String]]] = [:]
    var volumeUnits: [String: DatasetConfig.VolumeUnit] = [:]
    var warnings: [String] = []

    /// Imports `priceInputs` (files or directories of `*.csv`) in `format`, with optional
    /// Binance funding files.
    /// - Throws: `DatasetError` naming the file, line and column; a missing path is `.missingFile`.
    package static func run(format: ImportFormat, priceInputs: [String], fundingInputs: [String]) throws(DatasetError) -> Result {
        let files = try expand(priceInputs)
        guard !files.isEmpty else { throw DatasetError(file: priceInputs.joined(separator: ", "), rule: .nothingToImport) }
        if format == .databentoFutures { return try FuturesImporter.run(files: files) }
        var importer = PriceImporter()
        for file in files {
            let text = try read(file)
            switch format {
            case .binanceKlines: try importer.addBinanceKlines(text, file: file)
            case .coingecko: try importer.addCoinGecko(text, file: file)
            case .yahoo: try importer.addYahoo(text, file: file)
            case .ccxt: try importer.addCCXT(text, file: file)
            case .databentoFutures: break
            }
        }
        guard !importer.prices.isEmpty else { throw DatasetError(file: files.joined(separator: ", "), rule: .nothingToImport) }
        for file in try expand(fundingInputs) {
            try importer.addBinanceFunding(try read(file), file: file)
        }
        return importer.result()
    }

    /// Files named directly, and the `*.csv` files directly inside named directories (in
    /// byte order of their names).
    static func expand(_ inputs: [String]) throws(DatasetError) -> [String] {
        var files: [String] = []
        for input in inputs {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory) else {
                throw DatasetError(file: input, rule: .missingFile)
            }
            if isDirectory.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: input)) ?? []
                files += names.filter { $0.hasSuffix(".csv") }.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
                    .map { (input as NSString).appendingPathComponent($0) }
            } else {
                files.append(input)
            }
        }
        return files
    }

    static func read(_ file: String) throws(DatasetError) -> String {
        do { return try InputFile.text(file, limit: InputFile.dataLimit) } catch {
            throw error.isMissing
                ? DatasetError(file: file, rule: .missingFile) : DatasetError(file: file, rule: .unreadable(error.rule))
        }
    }

    /// Records one day's price text for an asset, checking it is a finite positive number
    /// and that the asset has no price that day yet.
    mutating func add(asset: String, symbol: String, day: Int, price: String, file: String, line: Int, column: Int)
        throws(DatasetError)
    {
        if let known = symbols[asset], known != symbol {
            throw DatasetError(file: file, rule: .conflictingAssetName(asset, first: known, second: symbol))
        }
        symbols[asset] = symbol
        guard let value = DecimalNumber.parse(price) else {
            throw DatasetError(file: file, line: line, column: column, rule: .unparsableNumber(price))
        }
        guard value.isFinite else { throw DatasetError(file: file, line: line, column: column, rule: .nonFinite(price)) }
        let date = Timestamp(secondsSinceEpoch: Int64(day) * 86_400, isDateOnly: true).description
        guard value > 0 else {
            throw DatasetError(
                file: file, line: line, column: column, rule: .nonPositivePrice(value: price, asset: asset, date: date))
        }
        guard prices[asset, default: [:]][day] == nil else {
            throw DatasetError(file: file, line: line, column: 1, rule: .duplicateDate(date))
        }
        prices[asset, default: [:]][day] = price
    }

    /// The dataset files: `prices.csv`, `funding.csv` when funding was imported, and
    /// `ohlcv.csv` (with its `dataset.yaml`) when bars were.
    func result() -> Result {
        let byteOrder = { (a: String, b: String) in Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8)) }
        let assets = prices.keys.sorted(by: byteOrder)
        let days = Set(prices.values.flatMap(\.keys)).sorted()
        let dates = days.map { Timestamp(secondsSinceEpoch: Int64($0) * 86_400, isDateOnly: true) }
        var files = DatasetFiles()
        files.files["prices.csv"] = DatasetFiles.wideCSV(
            dates: dates, names: assets, rows: days.map { day in assets.map { prices[$0]![day] } })
        var warnings = self.warnings
        barFiles(days: days, into: &files, warnings: &warnings)
        if !settlements.isEmpty {
            let fundingAssets = settlements.keys.sorted(by: byteOrder)
            let priceDays = Set(days)
            var sums: [String: [Int: Double]] = [:]
            for asset in fundingAssets {
                var dropped = Set<Int>()
                for settlement in settlements[asset]!.sorted(by: { $0.time < $1.time }) {
                    let day = Int((settlement.time >= 0 ? settlement.time : settlement.time - 86_399_999) / 86_400_000)
                    guard priceDays.contains(day) else {
                        dropped.insert(day)
                        continue
                    }
                    sums[asset, default: [:]][day, default: 0.0] += settlement.rate
                }
                if !dropped.isEmpty {
                    warnings.append("funding for \(asset): dropped \(dropped.count) day(s) that are not price dates")
                }
            }
            let fundingDays = days.filter { day in fundingAssets.contains { sums[$0]?[day] != nil } }
            files.files["funding.csv"] = DatasetFiles.wideCSV(
                dates: fundingDays.map { Timestamp(secondsSinceEpoch: Int64($0) * 86_400, isDateOnly: true) },
                names: fundingAssets,
                rows: fundingDays.map { day in fundingAssets.map { sums[$0]?[day].map { "\($0)" } } })
        }
        return Result(files: files, warnings: warnings)
    }
}
