import Support

/// A `date,NAME1,NAME2,...` CSV checked for the rules every dataset file shares: a `date`
/// first column, unique non-empty names, rows as wide as the header, strictly increasing
/// parsable dates, and cells that are empty or finite numbers.
struct WideTable {
    /// The column names after `date`.
    let names: [String]
    /// Row dates.
    var dates: [Timestamp] = []
    /// 1-based file line of each row.
    var lines: [Int] = []
    /// Cells per row, `nil` for an empty cell (or one that broke a rule).
    var cells: [[Double?]] = []
    /// The cells' text as written (for messages).
    var texts: [[String]] = []

    /// Parses `text`; returns nil when the file is unusable (empty, bad header).
    static func read(_ text: String, file: String, problems: inout ProblemCollector) throws -> WideTable? {
        guard let (table, header) = try CSVTable.withHeader(text, file: file, problems: &problems) else { return nil }
        let first = trimmed(header.fields[0])
        guard first.lowercased() == "date" else {
            try problems.report(DatasetError(file: file, line: header.line, column: 1, rule: .missingDateColumn(found: first)))
            return nil
        }
        let names = header.fields.dropFirst().map(trimmed)
        var seen: Set<String> = []
        var headerIsUsable = true
        for (offset, name) in names.enumerated() {
            if name.isEmpty {
                try problems.report(DatasetError(file: file, line: header.line, column: offset + 2, rule: .emptyColumnName))
                headerIsUsable = false
            } else if !seen.insert(name).inserted {
                try problems.report(DatasetError(file: file, line: header.line, column: offset + 2, rule: .duplicateColumn(name)))
                headerIsUsable = false
            }
        }
        guard headerIsUsable else { return nil }
        var result = WideTable(names: Array(names))
        if table.records.count == 1 {
            try problems.report(DatasetError(file: file, line: header.line + 1, column: 1, rule: .noRows))
            return nil
        }
        var previous: (Timestamp, String)?
        for record in table.records.dropFirst() {
            guard try record.hasWidth(of: header, file: file, problems: &problems) else { continue }
            let dateText = trimmed(record.fields[0])
            guard let date = Timestamp(parsing: dateText) else {
                try problems.report(DatasetError(file: file, line: record.line, column: 1, rule: .unparsableDate(dateText)))
                continue
            }
            if let (last, lastText) = previous, date <= last {
                try problems.report(
                    DatasetError(
                        file: file, line: record.line, column: 1,
                        rule: date == last ? .duplicateDate(dateText) : .unsortedDate(dateText, previous: lastText)))
                continue
            }
            previous = (date, dateText)
            var row: [Double?] = []
            row.reserveCapacity(names.count)
            for (offset, field) in record.fields.dropFirst().enumerated() {
                let cell = trimmed(field)
                if cell.isEmpty {
                    row.append(nil)
                } else if let value = DecimalNumber.parse(cell) ?? DecimalNumber.nonFinite(cell) {
                    if value.isFinite {
                        row.append(value)
                    } else {
                        try problems.report(
                            DatasetError(file: file, line: record.line, column: offset + 2, rule: .nonFinite(cell)))
                        row.append(nil)
                    }
                } else {
                    try problems.report(
                        DatasetError(file: file, line: record.line, column: offset + 2, rule: .unparsableNumber(cell)))
                    row.append(nil)
                }
            }
            result.dates.append(date)
            result.lines.append(record.line)
            result.cells.append(row)
            result.texts.append(record.fields.dropFirst().map(trimmed))
        }
        return result
    }
}

/// The field without surrounding spaces and tabs.
package func trimmed(_ field: String) -> String {
    let edges = (field.utf8.first, field.utf8.last)
    guard
        edges.0 == UInt8(ascii: " ") || edges.0 == UInt8(ascii: "\t") || edges.1 == UInt8(ascii: " ")
            || edges.1 == UInt8(ascii: "\t")
    else { return field }
    var text = Substring(field)
    while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
    while let last = text.last, last == " " || last == "\t" { text.removeLast() }
    return String(text)
}
