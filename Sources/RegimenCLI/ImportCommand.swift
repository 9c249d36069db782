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
            history() CSV), ccxt (fetch_ohlcv rows: timestamp,open,high,low,close,volume, in ms), \
            databento-futures (CME daily OHLCV bars; writes only futures.csv, so --out can be \
            an existing dataset directory). Prices are copied unchanged; missing days are left \
            for `data validate` to report.
            """)

    @Option(help: "The export format: \(ImportFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: ImportFormat
    @Option(help: "The dataset directory to write (prices.csv, and funding.csv with --funding).")
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
            for warning in result.warnings { printNote("warning: \(warning)") }
            try result.files.write(to: URL(fileURLWithPath: out))
            printNote("wrote \(out): \(result.files.files.keys.sorted().joined(separator: ", "))")
        }
    }
}
