import Yams

/// A YAML settings file that does not read as the type asked for. The description names the
/// file, the line and column, the field and the rule broken.
package struct YAMLDocumentProblem: ReportableError, Equatable {
    package let file: String
    /// 1-based line and column, when the problem has a place.
    package let line: Int?
    package let column: Int?
    /// The field (when known) and the rule broken.
    package let rule: String

    package init(file: String, line: Int? = nil, column: Int? = nil, rule: String) {
        self.file = file
        self.line = line
        self.column = column
        self.rule = rule
    }

    /// The problem at `mark` (Yams' 1-based line and column), or without a place.
    init(file: String, at mark: Mark?, rule: String) {
        self.init(file: file, line: mark?.line, column: mark?.column, rule: rule)
    }

    package var description: String {
        "\(file)\(line.map { ":\($0)" } ?? "")\(column.map { ":\($0)" } ?? ""): \(rule)"
    }

    /// A settings file that does not read is bad input (65).
    package var exitStatus: Int32 { ExitStatus.badData }
}

/// Decodes YAML settings files (training configs, feature specifications) and turns the
/// decoder's errors into messages a person can act on.
package enum YAMLDocument {
    /// Decodes `text`; an empty document decodes as an empty mapping (every default).
    /// - Parameter file: the path, for messages.
    package static func decode<T: Decodable>(_ type: T.Type, from text: String, file: String) throws(YAMLDocumentProblem) -> T {
        let root = try YAMLGuard.compose(text, file: file)
        do {
            // No document, or one that is only `---` or `~`: every default.
            return try YAMLDecoder().decode(T.self, from: root == nil || root?.null != nil ? "{}" : text)
        } catch let error as DecodingError {
            throw problem(error, root: root, file: file)
        } catch let error as UnknownKeyError {
            throw problem(error, root: root, file: file)
        } catch {
            throw YAMLDocumentProblem(file: file, rule: "\(error)")
        }
    }

    private static func problem(_ error: UnknownKeyError, root: Node?, file: String) -> YAMLDocumentProblem {
        return YAMLDocumentProblem(
            file: file, at: node(at: error.codingPath, in: root, keyNode: true)?.mark,
            rule: "field '\(name(of: error.codingPath))': \(error)")
    }

    private static func problem(_ error: DecodingError, root: Node?, file: String) -> YAMLDocumentProblem {
        let path: [any CodingKey]
        let rule: String
        var found: Node?
        switch error {
        case .typeMismatch(let expected, let context), .valueNotFound(let expected, let context):
            path = context.codingPath
            found = node(at: path, in: root, keyNode: false)
            let text = found.map(describe) ?? ""
            rule = "must be \(describe(expected)); found \(text.isEmpty ? "nothing" : "'\(text)'")"
        case .keyNotFound(let key, let context):
            path = context.codingPath + [key]
            rule = "is required"
        case .dataCorrupted(let context):
            // Yams wraps an error thrown by a type's own decoder in `dataCorrupted`.
            if let unknown = context.underlyingError as? UnknownKeyError { return problem(unknown, root: root, file: file) }
            path = context.codingPath
            found = node(at: path, in: root, keyNode: false)
            rule = context.debugDescription
        @unknown default:
            path = []
            rule = "\(error)"
        }
        let field = path.isEmpty ? "" : "field '\(name(of: path))': "
        return YAMLDocumentProblem(
            file: file, at: (found ?? node(at: path, in: root, keyNode: true))?.mark, rule: "\(field)\(rule)")
    }

    /// The node a coding path leads to (the key's own node when `keyNode`), or the deepest
    /// one that exists.
    private static func node(at path: [any CodingKey], in root: Node?, keyNode: Bool) -> Node? {
        var current = root
        for (depth, key) in path.enumerated() {
            if let index = key.intValue, let sequence = current?.sequence, index < sequence.count {
                current = sequence[index]
            } else if let mapping = current?.mapping, let entry = mapping.first(where: { $0.key.string == key.stringValue }) {
                current = keyNode && depth == path.count - 1 ? entry.key : entry.value
            } else {
                break
            }
        }
        return current
    }

    private static func name(of path: [any CodingKey]) -> String {
        path.reduce(into: "") { name, key in
            if let index = key.intValue {
                name += "[\(index)]"
            } else {
                name += name.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is any BinaryInteger.Type: "a whole number"
        case is any BinaryFloatingPoint.Type: "a number"
        case is String.Type: "text"
        case is Bool.Type: "true or false"
        case is any RangeReplaceableCollection.Type, is Node.Sequence.Type: "a list"
        case is Node.Scalar.Type: "a single value"
        case is Node.Mapping.Type: "a mapping"
        default: "a value"
        }
    }

    private static func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar): scalar.string
        case .sequence: "a list"
        case .mapping: "a mapping"
        }
    }
}
