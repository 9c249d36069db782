import Foundation
import Support

extension PriceImporter {
    /// Where a file's daily bar is (rule Y7): its open, high, low and close columns (nil for a
    /// column the file lacks) and its volume column.
    struct BarColumns {
        let open: Int?
        let high: Int?
        let low: Int?
        var close: Int?
        let volume: Int

        /// The columns of `names` (lower-cased header fields) named `open`, `high`, `low`,
        /// `close` and `volume` among `candidates`; nil without a volume column.
        init?(_ names: [String], among candidates: [Int]) {
            func column(_ name: String) -> Int? { candidates.first { names[$0] == name } }
            guard let volume = column("volume") else { return nil }
            (open, high, low, close, self.volume) = (column("open"), column("high"), column("low"), column("close"), volume)
        }

        /// Open, high, low, close and volume in fields 2 to 6 (CCXT's headerless rows, Binance's klines).
        static let positional = BarColumns(open: 1, high: 2, low: 3, close: 4, volume: 5)

        private init(open: Int?, high: Int?, low: Int?, close: Int?, volume: Int) {
            (self.open, self.high, self.low, self.close, self.volume) = (open, high, low, close, volume)
        }
    }

    /// Records the daily bar of `asset` on `day` from `record` (rule Y7): open, high, low and
    /// close copied as text when they are finite numbers (close positive), empty when the
    /// export has none (`null` or an empty field), and the volume, a number from 0 to 1e18,
    /// counting `unit`.
    /// - Throws: `DatasetError` at the field's line and column for any other text.
    mutating func addBar(
        _ bar: BarColumns, asset: String, unit: DatasetConfig.VolumeUnit, day: Int, record: CSVTable.Record, file: String
    ) throws(DatasetError) {
        let date = Timestamp(secondsSinceEpoch: Int64(day) * 86_400, isDateOnly: true).description
        var fields: [String] = []
        for (index, column) in [bar.open, bar.high, bar.low, bar.close, bar.volume].enumerated() {
            guard let column else {
                fields.append("")
                continue
            }
            let field = BarField(text: record.fields[column], file: file, line: record.line, column: column + 1)
            guard let value = try field.value() else {
                fields.append("")
                continue
            }
            if index == 3, value <= 0 {
                throw field.error(.nonPositivePrice(value: field.text, asset: asset, date: date))
            }
            if index == 4, !(0...OhlcvReader.volumeLimit).contains(value) {
                throw field.error(.invalidField(name: "volume", value: field.text, rule: "must be from 0 to 1e18"))
            }
            fields.append(field.text)
        }
        bars[asset, default: [:]][day] = fields
        volumeUnits[asset] = unit
    }

    /// What a Yahoo symbol's volume counts: the quote currency for a pair (`BTC-USD`), shares
    /// for a stock.
    static func yahooVolumeUnit(_ symbol: String) -> DatasetConfig.VolumeUnit {
        yahooAsset(symbol) == yahooStem(symbol) ? .base : .quote
    }

    /// One field of a bar, with its place for refusals.
    struct BarField {
        let text: String
        let file: String
        let line: Int
        let column: Int

        /// The field `text` (spaces around it dropped) at `line` and `column` of `file`.
        init(text: String, file: String, line: Int, column: Int) {
            self.text = text.trimmingCharacters(in: .whitespaces)
            (self.file, self.line, self.column) = (file, line, column)
        }

        /// The refusal of the field for `rule`.
        func error(_ rule: DatasetError.Rule) -> DatasetError {
            DatasetError(file: file, line: line, column: column, rule: rule)
        }

        /// The field's number, nil when empty or `null` (no value that day).
        /// - Throws: `unparsable-number`, or `not-finite` for NaN, an infinity or a decimal
        ///   beyond Double's range (as the dataset reader names them).
        func value() throws(DatasetError) -> Double? {
            guard !text.isEmpty, text != "null" else { return nil }
            guard let value = DecimalNumber.parse(text) ?? DecimalNumber.nonFinite(text) else {
                throw error(.unparsableNumber(text))
            }
            guard value.isFinite else { throw error(.nonFinite(text)) }
            return value
        }
    }

    /// A Yahoo symbol without a final `_1d` (rule Y1's first step).
    static func yahooStem(_ symbol: String) -> String { symbol.hasSuffix("_1d") ? String(symbol.dropLast(3)) : symbol }

    /// Adds `ohlcv.csv` for the bars recorded (rows by date, then asset in byte order, on the
    /// days of `days`), and `dataset.yaml`'s `volume_unit: quote` when the volumes are in the
    /// quote currency (a pair such as `BTC-USD`; a stock's volume counts shares). Volumes of
    /// both kinds cannot share one file: then nothing is added and a warning says why.
    func barFiles(days: [Int], into files: inout DatasetFiles, warnings: inout [String]) {
        guard !bars.isEmpty else { return }
        let units = Set(volumeUnits.values)
        guard units.count == 1, let unit = units.first else {
            let pairs = volumeUnits.filter { $0.value == .quote }.keys.sorted().joined(separator: ", ")
            let shares = volumeUnits.filter { $0.value == .base }.keys.sorted().joined(separator: ", ")
            warnings.append(
                "ohlcv.csv not written: the volumes of \(pairs) are in their quote currency and those of \(shares) in shares; "
                    + "import them separately for volume data")
            return
        }
        let assets = bars.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        var text = "date,asset,open,high,low,close,volume\n"
        for day in days {
            let date = Timestamp(secondsSinceEpoch: Int64(day) * 86_400, isDateOnly: true)
            for asset in assets {
                guard let fields = bars[asset]?[day] else { continue }
                text += "\(date),\(asset)," + fields.joined(separator: ",") + "\n"
            }
        }
        files.files["ohlcv.csv"] = text
        if unit == .quote {
            files.files["dataset.yaml"] =
                "# Yahoo's volume of a currency pair (BTC-USD) is in its quote currency (regimen data import).\nvolume_unit: quote\n"
        }
    }

    /// The `dataset.yaml` to write over `existing` (one already in the output directory, kept
    /// with its other keys): `existing` with `volume_unit: quote` added, unchanged when it sets
    /// `volume_unit` itself (with a warning when to something else).
    package static func volumeUnit(quoteAddedTo existing: String) -> (text: String, warning: String?) {
        let lines = existing.split(separator: "\n", omittingEmptySubsequences: false)
        guard let set = lines.first(where: { $0.hasPrefix("volume_unit:") }) else {
            let separator = existing.isEmpty || existing.hasSuffix("\n") ? "" : "\n"
            return (existing + separator + "volume_unit: quote\n", nil)
        }
        let value = set.dropFirst("volume_unit:".count).split(separator: "#").first?.trimmingCharacters(in: .whitespaces)
        guard value != "quote" else { return (existing, nil) }
        return (existing, "dataset.yaml keeps its \(set); the imported volume is in the quote currency (volume_unit: quote)")
    }
}
