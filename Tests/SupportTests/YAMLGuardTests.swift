import Foundation
import Support
import Testing

/// The YAML guard refuses what would overflow the stack or expand without bound, and lets
/// ordinary settings through (negative controls).
@Suite("YAML guard")
struct YAMLGuardTests {
    static let cases: [(name: String, text: String, refused: String?)] = [
        ("flat settings", "max_weight: 0.3\nasset_max: {A: 0.1, B: 0.2}\nhidden: [64, 64]\n", nil),
        ("brackets inside a quoted string", "name: \"" + String(repeating: "[", count: 200) + "\"\n", nil),
        ("brackets inside a single-quoted string with ''", "name: 'it''s " + String(repeating: "{", count: 200) + "'\n", nil),
        (
            "30-deep block nesting",
            (0..<30).map { String(repeating: " ", count: $0) + "k\($0):" }.joined(separator: "\n") + " 1\n", nil
        ),
        (
            "70-deep block nesting",
            (0..<70).map { String(repeating: " ", count: $0) + "k\($0):" }.joined(separator: "\n") + " 1\n",
            "nested deeper than 64"
        ),
        ("70 sequence markers on one line", String(repeating: "- ", count: 70) + "x\n", "nested deeper than 64"),
        (
            "deep flow", "a: " + String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + "\n",
            "nested deeper than 64"
        ),
        // Found by the fuzzer: a quote inside a plain scalar hid the brackets after it.
        ("a quote inside a plain scalar", "a: [1a\"e: " + String(repeating: "{", count: 100) + "\n", "nested deeper than 64"),
        (
            "an alias bomb",
            "a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n"
                + (1..<7).map {
                    "b\($0): &b\($0) [" + Array(repeating: $0 == 1 ? "*a" : "*b\($0 - 1)", count: 10).joined(separator: ", ")
                        + "]"
                }.joined(separator: "\n") + "\n", "once aliases are expanded"
        ),
        ("a small alias", "a: &a [1, 2]\nb: *a\n", nil),
        ("a duplicate key", "a: 1\nb: 2\na: 3\n", "key 'a' appears twice"),
        ("a duplicate nested key", "m:\n  x: 1\n  x: 2\n", "key 'x' appears twice"),
        // Found by the fuzzer: Yams traps on a base-60 integer that overflows.
        ("a base-60 number", "epochs: 4" + String(repeating: ":59", count: 40) + "\n", "read as a base-60 number"),
        ("colons before any digit", "epochs: :::" + String(repeating: "9:", count: 30) + "9\n", "read as a base-60 number"),
        ("a quoted base-60 lookalike", "name: '1:30'\n", nil),
        ("a list as a key", "? [a, b]\n: 1\n", "a key must be a single value"),
        // Found by the fuzzer: rendering nested complex keys took exponential time.
        ("nested complex keys", String(repeating: "? ", count: 30) + "x\n", "a key must be a single value"),
        ("a date range", "train: 2019-01-01..2020-12-31\n", nil),
    ]

    @Test("each case is refused or passes", arguments: cases.indices)
    func guarded(index: Int) {
        let testCase = Self.cases[index]
        do {
            _ = try YAMLGuard.compose(testCase.text, file: "t.yaml")
            #expect(testCase.refused == nil, "\(testCase.name) passed")
        } catch {
            #expect(error.description.contains(testCase.refused ?? "(should pass)"), "\(testCase.name): \(error)")
        }
    }

    @Test("the fuzzer's crash and timeout inputs are refused")
    func fuzzRegressions() throws {
        let folder = try #require(Bundle.module.url(forResource: "Fixtures/fuzz", withExtension: nil))
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(!files.isEmpty)
        for file in files {
            let text = String(decoding: try Data(contentsOf: folder.appendingPathComponent(file)), as: UTF8.self)
            #expect(throws: YAMLDocumentProblem.self, "\(file)") { try YAMLGuard.compose(text, file: file) }
        }
    }
}
