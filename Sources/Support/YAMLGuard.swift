import Yams

/// The limits every YAML file Regimen reads must keep before it is parsed or decoded: a
/// size, a nesting depth, an expansion budget for aliases, and unique keys. Settings files
/// are small and flat; a file beyond these is hostile or broken, and parsing it as it is
/// would overflow the stack (deep nesting), allocate without bound (alias bombs), or let a
/// later duplicate key silently replace an earlier, stricter value.
package enum YAMLGuard {
    /// The largest YAML file read (bytes).
    package static let maximumBytes = 1 << 20
    /// The deepest nesting of mappings, sequences and flow collections.
    package static let maximumDepth = 64
    /// The most nodes a document may have once its aliases are expanded.
    package static let maximumNodes = 100_000

    /// Parses `text` into its node tree after checking every limit.
    /// - Parameter file: the path, for messages.
    /// - Returns: the root node, or nil for an empty document.
    package static func compose(_ text: String, file: String) throws(YAMLDocumentProblem) -> Node? {
        guard text.utf8.count <= maximumBytes else {
            throw YAMLDocumentProblem(file: file, rule: "larger than \(maximumBytes) bytes; not a settings file")
        }
        if let line = lineBeyondDepth(text) {
            throw YAMLDocumentProblem(file: file, line: line, rule: "nested deeper than \(maximumDepth) levels")
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw YAMLDocumentProblem(file: file, rule: "not valid YAML: \(error)")
        }
        guard let root else { return nil }
        var budget = maximumNodes
        try check(root, file: file, budget: &budget)
        return root
    }

    /// Counts nodes (aliases expanded) against `budget` and refuses duplicate and non-scalar keys.
    private static func check(_ node: Node, file: String, budget: inout Int) throws(YAMLDocumentProblem) {
        budget -= 1
        guard budget >= 0 else {
            throw YAMLDocumentProblem(
                file: file, at: node.mark, rule: "more than \(maximumNodes) values once aliases are expanded")
        }
        switch node {
        case .scalar(let scalar):
            // YAML 1.1 reads `1:30` as the base-60 number 90, and Yams traps when such a
            // number overflows (found by fuzzing); no setting is ever written in base 60.
            if scalar.style == .plain && isSexagesimal(scalar.string) {
                throw YAMLDocumentProblem(
                    file: file, at: node.mark,
                    rule:
                        "'\(scalar.string.prefix(40))' has a ':' outside quotes, which YAML may read as a base-60 number; quote it"
                )
            }
            return
        case .sequence(let sequence):
            for child in sequence { try check(child, file: file, budget: &budget) }
        case .mapping(let mapping):
            var seen = Set<String>()
            for (key, value) in mapping {
                // A key that is itself a list or mapping (`? [a]: b`) names no setting; refusing
                // it also keeps its text from being rendered, which took exponential time on
                // nested keys (found by fuzzing).
                guard let name = key.string else {
                    throw YAMLDocumentProblem(
                        file: file, at: key.mark, rule: "a key must be a single value, not a list or mapping")
                }
                guard seen.insert(name).inserted else {
                    throw YAMLDocumentProblem(file: file, at: key.mark, rule: "key '\(name)' appears twice")
                }
                try check(key, file: file, budget: &budget)
                try check(value, file: file, budget: &budget)
            }
        }
    }

    /// Whether a plain scalar could be read as a YAML 1.1 sexagesimal number: any `:` in it.
    /// Yams parses every scalar that contains `:` and is decoded as an integer in base 60,
    /// without checking its shape, and traps when the number overflows (found twice by
    /// fuzzing, with and without a leading digit); no setting needs an unquoted `:`.
    static func isSexagesimal(_ text: String) -> Bool { text.contains(":") }

    /// The bytes after which a quote starts a quoted scalar.
    private static let tokenStarts: Set<UInt8> = Set("[{,:-?".utf8)

    /// The first line (1-based) at which the nesting exceeds `maximumDepth`, or nil. Measured
    /// on the text, before parsing, and on the safe side: block levels are the open
    /// indentations plus the `- ` and `? ` markers that start the line; flow levels are the
    /// open `[` and `{` outside quotes and comments.
    static func lineBeyondDepth(_ text: String) -> Int? {
        var indentations: [Int] = []
        var flow = 0
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let bytes = Array(line.utf8)
            var index = 0
            while index < bytes.count, bytes[index] == UInt8(ascii: " ") { index += 1 }
            let blank = index == bytes.count || bytes[index] == UInt8(ascii: "#") || bytes[index] == UInt8(ascii: "\r")
            var block = 0
            if !blank && flow == 0 {
                while let last = indentations.last, last >= index { indentations.removeLast() }
                indentations.append(index)
                while index + 1 < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "?"),
                    bytes[index + 1] == UInt8(ascii: " ")
                {
                    block += 1
                    index += 2
                    while index < bytes.count, bytes[index] == UInt8(ascii: " ") { index += 1 }
                }
            }
            var quote: UInt8?
            var previous = UInt8(ascii: " ")
            // The last byte that is not a space: a quote opens a quoted scalar only at the
            // start of a token (after nothing, an indicator or a separator); inside a plain
            // scalar (`a"b`) it is an ordinary character and must not hide brackets.
            var lastSignificant: UInt8?
            var deepest = flow
            while index < bytes.count {
                let byte = bytes[index]
                if let open = quote {
                    if byte == UInt8(ascii: "\\") && open == UInt8(ascii: "\"") {
                        index += 1
                    } else if byte == UInt8(ascii: "'") && open == byte && index + 1 < bytes.count && bytes[index + 1] == byte {
                        index += 1
                    } else if byte == open {
                        quote = nil
                    }
                } else if (byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\""))
                    && (lastSignificant.map { Self.tokenStarts.contains($0) } ?? true)
                {
                    quote = byte
                } else if byte == UInt8(ascii: "#") && (previous == UInt8(ascii: " ") || previous == UInt8(ascii: "\t")) {
                    break
                } else if byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") {
                    flow += 1
                    deepest = max(deepest, flow)
                } else if byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}") {
                    flow = max(flow - 1, 0)
                }
                previous = byte
                if byte != UInt8(ascii: " ") && byte != UInt8(ascii: "\t") { lastSignificant = byte }
                index += 1
            }
            if indentations.count + block + deepest > maximumDepth { return lineNumber }
        }
        return nil
    }
}
