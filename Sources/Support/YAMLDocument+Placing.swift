import Yams

extension YAMLDocument {
    /// A rule broken by a value that decoded fine (a range, a cross-key rule), placed at the
    /// value in the file: `config.yaml:7:9: budget.tau must be from 0 to 10; found 20`.
    ///
    /// Settings types state such rules as sentences that start with the dotted key they are
    /// about (`budget.tau must be ...`, `select.rebalance values ...`, `hidden[2] ...`); this
    /// reads that key, finds its value's node in the document and takes the node's line and
    /// column. A sentence whose key is not written in the file (a default that clashes with
    /// another key) keeps no place rather than a wrong one.
    /// - Parameters:
    ///   - rule: the sentence, starting with the key it names.
    ///   - text: the document the values were decoded from (already read through the guard).
    ///   - file: the path, for the message.
    package static func problem(_ rule: String, placedIn text: String, file: String) -> YAMLDocumentProblem {
        guard let path = keyPath(leading: rule), let root = try? YAMLGuard.compose(text, file: file),
            let node = value(at: path, in: root)
        else { return YAMLDocumentProblem(file: file, rule: rule) }
        return YAMLDocumentProblem(file: file, at: node.mark, rule: rule)
    }

    /// The dotted key a rule's sentence starts with, split into mapping keys and list
    /// indices (`overlay.tenor_days` -> ["overlay", "tenor_days"]; `hidden[2]:` -> ["hidden", 2]);
    /// nil when the first word is not shaped like a key.
    static func keyPath(leading sentence: String) -> [KeyStep]? {
        var word = sentence.prefix { $0 != " " }
        if word.hasSuffix(":") { word = word.dropLast() }
        guard !word.isEmpty, word.allSatisfy({ $0.isLetter || $0.isNumber || "_.[]".contains($0) }) else { return nil }
        var steps: [KeyStep] = []
        for part in word.split(separator: ".", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: "[", omittingEmptySubsequences: false)
            guard let name = pieces.first, name.first?.isLetter == true else { return nil }
            steps.append(.key(String(name)))
            for index in pieces.dropFirst() {
                guard index.hasSuffix("]"), let position = Int(index.dropLast()), position >= 0 else { return nil }
                steps.append(.index(position))
            }
        }
        return steps
    }

    /// One step of a key path: a mapping key or a list position.
    enum KeyStep: Equatable {
        case key(String)
        case index(Int)
    }

    /// The value node a whole key path leads to; nil when any step is not in the document.
    private static func value(at path: [KeyStep], in root: Node?) -> Node? {
        var current = root
        for step in path {
            switch step {
            case .key(let name):
                current = current?.mapping?.first(where: { $0.key.string == name })?.value
            case .index(let position):
                guard let sequence = current?.sequence, position < sequence.count else { return nil }
                current = sequence[position]
            }
            if current == nil { return nil }
        }
        return current
    }
}
