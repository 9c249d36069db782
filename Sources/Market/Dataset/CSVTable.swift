/// A CSV file split into records, tolerant of what spreadsheets and exporters write: a UTF-8
/// byte-order mark, CRLF or LF line ends, empty lines (skipped), and RFC 4180 quoting
/// (`"a,b"`, `"say ""hi"""`). Every record keeps its 1-based line number for messages.
///
/// The unquoted fields are kept end to end in one byte buffer with their end offsets, not
/// as one `String` each: a 20-asset price file of 3,000 days is 63,000 fields, and the
/// daily job reads three such files on every start (issue 18 measured the per-field
/// strings and arrays at a third of its CSV time). A field becomes a `String` only when a
/// reader asks for one; the number readers take its bytes (`withBytes(ofField:_:)`).
package struct CSVTable: Sendable {
    /// One non-empty line's fields.
    package struct Record: Sendable {
        /// 1-based line number in the file.
        package let line: Int
        /// The fields, unquoted.
        package let fields: Fields
    }

    /// A record's fields as strings, made on access.
    package struct Fields: RandomAccessCollection, Sendable {
        fileprivate let storage: Storage
        fileprivate let range: Range<Int>

        /// The first field's index (0).
        package var startIndex: Int { 0 }
        /// The number of fields.
        package var endIndex: Int { range.count }
        /// The field at `position`, unquoted.
        package subscript(position: Int) -> String {
            withBytes(ofField: position) { String(decoding: $0, as: UTF8.self) }
        }

        /// Calls `body` with the bytes of the field at `position` (unquoted, untrimmed).
        package func withBytes<Result>(ofField position: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
            precondition(position >= 0 && position < range.count, "field index out of range")
            let field = range.lowerBound + position
            let start = field == 0 ? 0 : storage.fieldEnds[field - 1]
            let end = storage.fieldEnds[field]
            return storage.bytes.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[start..<end])) }
        }
    }

    /// The records in file order (the header first).
    package struct Records: RandomAccessCollection, Sendable {
        fileprivate let storage: Storage

        /// The first record's index (0).
        package var startIndex: Int { 0 }
        /// The number of records.
        package var endIndex: Int { storage.recordLines.count }
        /// The record at `position`.
        package subscript(position: Int) -> Record {
            let first = storage.recordStarts[position]
            let end = position + 1 < storage.recordStarts.count ? storage.recordStarts[position + 1] : storage.fieldEnds.count
            return Record(line: storage.recordLines[position], fields: Fields(storage: storage, range: first..<end))
        }
    }

    /// The buffers behind the records: every field's unquoted bytes end to end, each
    /// field's end offset, each record's first field and line.
    fileprivate struct Storage: Sendable {
        var bytes: [UInt8] = []
        var fieldEnds: [Int] = []
        var recordStarts: [Int] = []
        var recordLines: [Int] = []
    }

    /// The records in file order (the header first).
    package let records: Records

    /// Why a text is not CSV.
    package enum ParseError: Error, Equatable {
        /// A quoted field with no closing quote; the line where it opened.
        case unterminatedQuote(line: Int)
    }

    /// Splits `text` into records.
    /// - Throws: `ParseError.unterminatedQuote`.
    package init(parsing text: String) throws(ParseError) {
        var text = text
        let result = text.withUTF8 { utf8 -> Result<Storage, ParseError> in
            let bom = utf8.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
            return Result { () throws(ParseError) in try Self.split(UnsafeBufferPointer(rebasing: utf8[bom...])) }
        }
        records = Records(storage: try result.get())
    }

    /// The records of `bytes` (without a byte-order mark).
    private static func split(_ bytes: UnsafeBufferPointer<UInt8>) throws(ParseError) -> Storage {
        var storage = Storage()
        storage.bytes.reserveCapacity(bytes.count)
        var fieldsInRecord = 0
        var fieldStart = 0  // offset in storage.bytes where the current field began
        var line = 1
        var recordLine = 1
        var index = 0
        var inQuotes = false
        var quoteLine = 0
        var fieldWasQuoted = false
        func endField() {
            storage.fieldEnds.append(storage.bytes.count)
            if fieldsInRecord == 0 {
                storage.recordStarts.append(storage.fieldEnds.count - 1)
                storage.recordLines.append(recordLine)
            }
            fieldsInRecord += 1
            fieldStart = storage.bytes.count
            fieldWasQuoted = false
        }
        func endRecord() {
            if fieldsInRecord == 0 && storage.bytes.count == fieldStart {
                // An empty line (or one empty field, quoted or not): no record.
                fieldWasQuoted = false
            } else {
                endField()
            }
            fieldsInRecord = 0
        }
        while index < bytes.count {
            let byte = bytes[index]
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\"") {
                        storage.bytes.append(byte)
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    storage.bytes.append(byte)
                }
            } else if byte == UInt8(ascii: "\"") && storage.bytes.count == fieldStart && !fieldWasQuoted {
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
                storage.bytes.append(byte)
            }
            index += 1
        }
        if inQuotes { throw .unterminatedQuote(line: quoteLine) }
        if storage.bytes.count != fieldStart || fieldsInRecord > 0 || fieldWasQuoted { endRecord() }
        return storage
    }
}
