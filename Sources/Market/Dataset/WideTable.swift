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
    /// The cells row after row (`names.count` per row), `nil` for an empty cell (or one that
    /// broke a rule).
    private var cells: [Double?] = []
    /// The records the rows came from, for a cell's text in a message.
    private let records: CSVTable.Records
    /// The record of each row.
    private var recordOfRow: [Int] = []

    /// The cell of `row` in the column of `names[column]`.
    func cell(row: Int, column: Int) -> Double? { cells[row * names.count + column] }

    /// The cell's text as written, trimmed (for messages; empty for an empty cell).
    func text(row: Int, column: Int) -> String { trimmed(records[recordOfRow[row]].fields[column + 1]) }

    /// What a cell's bytes hold.
    private enum CellReading {
        case empty
        case number(Double)
        case other
    }

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
        var result = WideTable(names: Array(names), records: table.records)
        if table.records.count == 1 {
            try problems.report(DatasetError(file: file, line: header.line + 1, column: 1, rule: .noRows))
            return nil
        }
        result.cells.reserveCapacity((table.records.count - 1) * names.count)
        var previous: (Timestamp, String)?
        for recordIndex in table.records.indices.dropFirst() {
            let record = table.records[recordIndex]
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
            for column in 1..<record.fields.count {
                let reading = record.fields.withBytes(ofField: column) { raw -> CellReading in
                    let bytes = trimmed(raw)
                    if bytes.isEmpty { return .empty }
                    return DecimalNumber.parse(bytes: bytes).map(CellReading.number) ?? .other
                }
                switch reading {
                case .empty:
                    result.cells.append(nil)
                case .number(let value) where value.isFinite:
                    result.cells.append(value)
                case .number, .other:
                    // The message's text only for a broken cell: most cells are fine.
                    let cell = trimmed(record.fields[column])
                    let rule: DatasetError.Rule =
                        (DecimalNumber.parse(cell) ?? DecimalNumber.nonFinite(cell)) != nil
                        ? .nonFinite(cell) : .unparsableNumber(cell)
                    try problems.report(DatasetError(file: file, line: record.line, column: column + 1, rule: rule))
                    result.cells.append(nil)
                }
            }
            result.dates.append(date)
            result.lines.append(record.line)
            result.recordOfRow.append(recordIndex)
        }
        return result
    }
}

/// `bytes` without surrounding spaces and tabs.
private func trimmed(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
    var (start, end) = (0, bytes.count)
    while start < end, bytes[start] == UInt8(ascii: " ") || bytes[start] == UInt8(ascii: "\t") { start += 1 }
    while end > start, bytes[end - 1] == UInt8(ascii: " ") || bytes[end - 1] == UInt8(ascii: "\t") { end -= 1 }
    return UnsafeBufferPointer(rebasing: bytes[start..<end])
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
