import Support

extension CSVTable {
    /// A record of a long-form file (`futures.csv`, `ohlcv.csv`) with its columns located by
    /// `longForm`: its fields by name, refusals placed at a named column, and numbers read by
    /// the dataset's rules. Each reader adds its own `parse`.
    struct LongFormRow {
        let record: Record
        let position: [String: Int]
        let file: String

        /// The field of column `name` without surrounding spaces, nil when the file has no such column.
        func field(_ name: String) -> String? { position[name].map { trimmed(record.fields[$0]) } }

        /// The refusal of `rule` at column `name` of this row.
        func problem(_ name: String, _ rule: DatasetError.Rule) -> DatasetError {
            DatasetError(file: file, line: record.line, column: position[name].map { $0 + 1 }, rule: rule)
        }

        /// `text` as a finite number; otherwise `unparsable-number` or `not-finite` is reported
        /// at `column` and the result is nil.
        func number(_ text: String, column: String, report: (String, DatasetError.Rule) throws -> Void) throws -> Double? {
            guard let value = DecimalNumber.parse(text) ?? DecimalNumber.nonFinite(text) else {
                try report(column, .unparsableNumber(text))
                return nil
            }
            guard value.isFinite else {
                try report(column, .nonFinite(text))
                return nil
            }
            return value
        }
    }
}
