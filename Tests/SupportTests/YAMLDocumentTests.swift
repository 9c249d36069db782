import Support
import Testing

/// A small settings type shaped like the training config: optional keys, a nested mapping.
private struct Settings: Decodable, Equatable {
    struct Inner: Decodable, Equatable {
        var sizes: [Int] = []

        enum CodingKeys: String, CodingKey, CaseIterable { case sizes }

        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            sizes = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent([Int].self, forKey: .sizes) ?? []
        }
    }

    var epochs = 1
    var inner: Inner?

    enum CodingKeys: String, CodingKey, CaseIterable { case epochs, inner }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        epochs = try c.decodeIfPresent(Int.self, forKey: .epochs) ?? 1
        inner = try c.decodeIfPresent(Inner.self, forKey: .inner)
    }
}

@Suite("YAML settings files")
struct YAMLDocumentTests {
    @Test("a valid file decodes, and an empty one gives every default")
    func decodes() throws {
        let settings = try YAMLDocument.decode(Settings.self, from: "epochs: 3\ninner:\n  sizes: [4, 5]\n", file: "s.yaml")
        #expect(settings.epochs == 3 && settings.inner?.sizes == [4, 5])
        for empty in ["\n# nothing set\n", "---\n# nothing set\n", "~\n"] {
            #expect(try YAMLDocument.decode(Settings.self, from: empty, file: "s.yaml").epochs == 1)
        }
    }

    @Test(
        "each mistake names the file, line, column, field and rule",
        arguments: [
            ("epochs: two\n", "s.yaml:1:9: field 'epochs': must be a whole number; found 'two'"),
            ("epoks: 2\n", "s.yaml:1:1: field 'epoks': unknown key 'epoks'; valid keys: epochs, inner"),
            ("epochs: 2\ninner:\n  sizes: [4, x]\n", "s.yaml:3:14: field 'inner.sizes[1]': must be a whole number; found 'x'"),
            ("inner:\n  size: [4]\n", "s.yaml:2:3: field 'inner.size': unknown key 'size'; valid keys: sizes"),
            ("- 1\n- 2\n", "s.yaml:1:1: must be a mapping; found 'a list'"),
            ("epochs: [1, 2]\n", "s.yaml:1:9: field 'epochs': must be a single value; found 'a list'"),
        ])
    func mistakes(text: String, message: String) {
        let problem = #expect(throws: YAMLDocumentProblem.self) {
            try YAMLDocument.decode(Settings.self, from: text, file: "s.yaml")
        }
        #expect(problem?.description == message)
    }

    @Test("text that is not YAML says so with the parser's position")
    func notYAML() {
        let problem = #expect(throws: YAMLDocumentProblem.self) {
            try YAMLDocument.decode(Settings.self, from: "epochs: [3\n", file: "s.yaml")
        }
        #expect(problem?.description.hasPrefix("s.yaml: not valid YAML:") == true)
        #expect(problem?.description.contains("line 1") == true)
    }
}

@Suite("A value's problem placed at the value")
struct ProblemPlacingTests {
    static let text = "epochs: 3\ninner:\n  sizes: [4, 0, 6]\nbudget: {tau: 20, band: 0.1}\n"

    @Test(
        "a sentence starting with a written key gets the value's line and column; one that does not keeps no place",
        arguments: [
            ("epochs must be from 1 to 2; found 3", "c.yaml:1:9: epochs must be from 1 to 2; found 3"),
            ("inner.sizes must be positive", "c.yaml:3:10: inner.sizes must be positive"),
            ("inner.sizes[1] must be positive", "c.yaml:3:14: inner.sizes[1] must be positive"),
            ("budget.tau must be from 0 to 10; found 20", "c.yaml:4:15: budget.tau must be from 0 to 10; found 20"),
            ("select.tau: budget.tau is out", "c.yaml: select.tau: budget.tau is out"),
            // Negative controls: a key not in the file, an index past the list, a first word
            // that is not a key, a key path into a scalar.
            ("patience must be from 1 to 9", "c.yaml: patience must be from 1 to 9"),
            ("inner.sizes[3] must be positive", "c.yaml: inner.sizes[3] must be positive"),
            ("a policy has sleeves or a budget, not both", "c.yaml: a policy has sleeves or a budget, not both"),
            ("batch x window must be at most 10", "c.yaml: batch x window must be at most 10"),
            ("epochs.deep must be 1", "c.yaml: epochs.deep must be 1"),
            ("1epochs must be 1", "c.yaml: 1epochs must be 1"),
        ])
    func placing(rule: String, message: String) {
        #expect(YAMLDocument.problem(rule, placedIn: Self.text, file: "c.yaml").description == message)
    }

    @Test("a document that does not compose keeps the rule without a place")
    func unreadable() {
        #expect(YAMLDocument.problem("epochs is bad", placedIn: "a: [", file: "c.yaml").description == "c.yaml: epochs is bad")
    }
}
