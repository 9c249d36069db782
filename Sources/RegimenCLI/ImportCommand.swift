import ArgumentParser
import CommandSupport
import Foundation
import Market

extension ImportFormat: ExpressibleByArgument {}

/// `regimen data import --format FORMAT --out DIR [--funding PATH]... PATH...`.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Convert exchange and vendor exports to a dataset directory.",
        discussion: """
            Formats: binance-klines (data.binance.vision daily klines; --funding takes its \
            fundingRate files), coingecko (CSV export), yahoo (the web download, or yfinance's download() or \
            history() CSV; with a Volume column also ohlcv.csv, and dataset.yaml's volume_unit: quote \
            for pairs such as BTC-USD, whose volume is in USD), ccxt (fetch_ohlcv rows: timestamp,open,high,low,close,volume, in ms), \
            databento-futures (CME daily OHLCV bars; writes only futures.csv, so --out can be \
            an existing dataset directory). Prices are copied unchanged; missing days are left \
            for `data validate` to report.
            """)

    @Option(help: "The export format: \(ImportFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: ImportFormat
    @Option(help: "The dataset directory to write (prices.csv; funding.csv with --funding; ohlcv.csv from Yahoo volumes).")
    var out: String
    @Option(help: "Binance fundingRate files or folders (binance-klines only).")
    var funding: [String] = []
    @Argument(help: "Price export files, or folders of *.csv files.")
    var inputs: [String]

    func validate() throws {
        if !funding.isEmpty && format != .binanceKlines {
            throw ValidationError("--funding is only for --format binance-klines")
        }
        if inputs.isEmpty { throw ValidationError("give at least one price file or folder") }
    }

    func run() throws {
        try withExitStatus {
            let result = try PriceImporter.run(format: format, priceInputs: inputs, fundingInputs: funding)
            var files = result.files
            var warnings = result.warnings
            let config = URL(fileURLWithPath: out).appendingPathComponent("dataset.yaml")
            if files.files["dataset.yaml"] != nil, let existing = try? String(contentsOf: config, encoding: .utf8) {
                let merged = PriceImporter.volumeUnit(quoteAddedTo: existing)
                files.files["dataset.yaml"] = merged.text
                warnings += merged.warning.map { [$0] } ?? []
            }
            for warning in warnings { printNote("warning: \(warning)") }
            try files.write(to: URL(fileURLWithPath: out))
            printNote("wrote \(out): \(files.files.keys.sorted().joined(separator: ", "))")
        }
    }
}
