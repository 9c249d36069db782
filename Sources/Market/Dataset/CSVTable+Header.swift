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

    /// A long-form file (`futures.csv`, `ohlcv.csv`): the records, the header and each
    /// column's position, or nil with the problems reported: a column not among `columns` or
    /// named twice, a `required` one missing, no row after the header. Names are matched
    /// trimmed and in lower case; columns may come in any order.
    static func longForm(
        _ text: String, file: String, columns: [String], required: [String], problems: inout ProblemCollector
    ) throws -> (CSVTable, Record, [String: Int])? {
        guard let (table, header) = try withHeader(text, file: file, problems: &problems) else { return nil }
        var position: [String: Int] = [:]
        for (offset, raw) in header.fields.enumerated() {
            let name = trimmed(raw).lowercased()
            if !columns.contains(name) {
                try problems.report(
                    DatasetError(file: file, line: header.line, column: offset + 1, rule: .unknownColumn(name, allowed: columns)))
            } else if position[name] != nil {
                try problems.report(DatasetError(file: file, line: header.line, column: offset + 1, rule: .duplicateColumn(name)))
            } else {
                position[name] = offset
            }
        }
        for name in required where position[name] == nil {
            try problems.report(DatasetError(file: file, line: header.line, rule: .missingColumn(name)))
        }
        guard required.allSatisfy({ position[$0] != nil }), position.count == header.fields.count else { return nil }
        if table.records.count == 1 {
            try problems.report(DatasetError(file: file, line: header.line + 1, column: 1, rule: .noRows))
            return nil
        }
        return (table, header, position)
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
