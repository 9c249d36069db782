extension CSVTable {
    /// The records of a dataset file and its header line, or nil with the problem reported:
    /// a quoted field never closed, or a file without a line.
    static func withHeader(_ text: String, file: String, problems: inout ProblemCollector) throws -> (CSVTable, Record)? {
        let table: CSVTable
        do {
            table = try CSVTable(parsing: text)
        } catch {
            guard case .unterminatedQuote(let line) = error else { return nil }
            try problems.report(DatasetError(file: file, line: line, rule: .unterminatedQuote))
            return nil
        }
        guard let header = table.records.first else {
            try problems.report(DatasetError(file: file, line: 1, column: 1, rule: .emptyFile))
            return nil
        }
        return (table, header)
    }
}

extension CSVTable.Record {
    /// Whether the record has as many fields as `header`; a ragged row is reported with its
    /// line and the first missing or extra column.
    func hasWidth(of header: CSVTable.Record, file: String, problems: inout ProblemCollector) throws -> Bool {
        guard fields.count != header.fields.count else { return true }
        try problems.report(
            DatasetError(
                file: file, line: line, column: min(fields.count, header.fields.count) + 1,
                rule: .raggedRow(expected: header.fields.count, found: fields.count)))
        return false
    }
}
