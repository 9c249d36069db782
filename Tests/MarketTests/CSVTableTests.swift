import Market
import Testing

/// The CSV splitter on a table of hand-written files (RFC 4180 quoting, line ends, what
/// exporters add) and the records each must give, line numbers included.
@Suite("CSV records")
struct CSVTableTests {
    /// A file and the records (line, fields) it must split into.
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let text: String
        let records: [(Int, [String])]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "plain LF", text: "date,A\n2024-01-01,1.5\n", records: [(1, ["date", "A"]), (2, ["2024-01-01", "1.5"])]),
        Case(name: "no final line end", text: "a,b\n1,2", records: [(1, ["a", "b"]), (2, ["1", "2"])]),
        Case(
            name: "CRLF and lone CR", text: "a,b\r\n1,2\r3,4\r\n",
            records: [(1, ["a", "b"]), (2, ["1", "2"]), (3, ["3", "4"])]),
        Case(name: "byte-order mark", text: "\u{FEFF}a,b\n1,2\n", records: [(1, ["a", "b"]), (2, ["1", "2"])]),
        Case(name: "empty lines skipped, lines still counted", text: "a\n\n\nb\n\n", records: [(1, ["a"]), (4, ["b"])]),
        Case(name: "a line of one empty quoted field is empty", text: "a\n\"\"\nb\n", records: [(1, ["a"]), (3, ["b"])]),
        Case(name: "empty fields kept", text: ",\n,,x\n", records: [(1, ["", ""]), (2, ["", "", "x"])]),
        Case(name: "quoted comma", text: "\"a,b\",c\n", records: [(1, ["a,b", "c"])]),
        Case(name: "doubled quote", text: "\"say \"\"hi\"\"\",x\n", records: [(1, ["say \"hi\"", "x"])]),
        Case(
            name: "quoted line end counts lines", text: "\"two\nlines\",x\nnext,y\n",
            records: [(1, ["two\nlines", "x"]), (3, ["next", "y"])]),
        Case(name: "quoted empty then field", text: "\"\",a\n", records: [(1, ["", "a"])]),
        Case(name: "quote inside a field is a byte", text: "a\"b,c\n", records: [(1, ["a\"b", "c"])]),
        Case(name: "spaces kept (readers trim)", text: " a , b \n", records: [(1, [" a ", " b "])]),
        Case(name: "multibyte text", text: "名前,€\n", records: [(1, ["名前", "€"])]),
        Case(name: "empty file", text: "", records: []),
    ]

    @Test("each file splits into the expected records", arguments: cases)
    func splits(_ example: Case) throws {
        let table = try CSVTable(parsing: example.text)
        #expect(table.records.count == example.records.count)
        for (record, expected) in zip(table.records, example.records) {
            #expect(record.line == expected.0)
            #expect(Array(record.fields) == expected.1)
        }
    }

    @Test("a field's bytes are its unquoted UTF-8")
    func fieldBytes() throws {
        let table = try CSVTable(parsing: "x,\"q,\"\"r\",€\n")
        let fields = table.records[0].fields
        for (index, expected) in ["x", "q,\"r", "€"].enumerated() {
            #expect(fields.withBytes(ofField: index) { Array($0) } == Array(expected.utf8))
        }
    }

    @Test("an unclosed quote names the line where it opened")
    func unterminated() {
        #expect(throws: CSVTable.ParseError.unterminatedQuote(line: 2)) { try CSVTable(parsing: "a\n\"open,b\nc\n") }
        // Negative control: the same file with the quote closed splits.
        #expect(throws: Never.self) { try CSVTable(parsing: "a\n\"open\",b\nc\n") }
    }
}
