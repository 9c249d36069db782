/// A CSV file split into records, tolerant of what spreadsheets and exporters write: a UTF-8
/// byte-order mark, CRLF or LF line ends, empty lines (skipped), and RFC 4180 quoting
/// (`"a,b"`, `"say ""hi"""`). Every record keeps its 1-based line number for messages.
package struct CSVTable: Sendable {
    /// One non-empty line's fields.
    package struct Record: Sendable {
        /// 1-based line number in the file.
        package let line: Int
        /// The fields, unquoted.
        package let fields: [String]
    }

    /// The records in file order (the header first).
    package let records: [Record]

    /// Why a text is not CSV.
    package enum ParseError: Error, Equatable {
        /// A quoted field with no closing quote; the line where it opened.
        case unterminatedQuote(line: Int)
    }

    /// Splits `text` into records.
    /// - Throws: `ParseError.unterminatedQuote`.
    package init(parsing text: String) throws(ParseError) {
        var bytes = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        var records: [Record] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1
        var recordLine = 1
        var index = 0
        var inQuotes = false
        var quoteLine = 0
        var fieldWasQuoted = false
        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
        }
        func endRecord() {
            endField()
            if !(fields.count == 1 && fields[0].isEmpty) { records.append(Record(line: recordLine, fields: fields)) }
            fields.removeAll(keepingCapacity: true)
        }
        while index < bytes.count {
            let byte = bytes[index]
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    field.append(byte)
                }
            } else if byte == UInt8(ascii: "\"") && field.isEmpty && !fieldWasQuoted {
                inQuotes = true
                fieldWasQuoted = true
                quoteLine = line
            } else if byte == UInt8(ascii: ",") {
                endField()
            } else if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                if byte == UInt8(ascii: "\r") && index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\n") { index += 1 }
                endRecord()
                line += 1
                recordLine = line
            } else {
                field.append(byte)
            }
            index += 1
        }
        if inQuotes { throw .unterminatedQuote(line: quoteLine) }
        if !field.isEmpty || !fields.isEmpty || fieldWasQuoted { endRecord() }
        self.records = records
    }
}
