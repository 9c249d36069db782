/// A coding key for any string, to list every key a mapping holds.
private struct AnyCodingKey: CodingKey {
    let stringValue: String
    let intValue: Int?

    init(stringValue: String) {
        self.stringValue = stringValue
        intValue = nil
    }

    init(intValue: Int) {
        stringValue = String(intValue)
        self.intValue = intValue
    }
}

/// A mapping holds a key its type does not know (a misspelt setting).
package struct UnknownKeyError: Error, CustomStringConvertible {
    /// The path to the unknown key, the key last.
    package let codingPath: [any CodingKey]
    /// The keys the mapping may hold.
    package let validKeys: [String]

    package var description: String {
        "unknown key '\(codingPath.last?.stringValue ?? "")'; valid keys: \(validKeys.joined(separator: ", "))"
    }
}

extension Decoder {
    /// Rejects a mapping that holds a key `Keys` does not name, so a misspelt setting is an
    /// error rather than a silent default (LESSONS: configs that ignore typos).
    /// - Throws: `UnknownKeyError` naming the first unknown key.
    package func rejectUnknownKeys<Keys: CodingKey & CaseIterable>(_ keys: Keys.Type) throws {
        let known = Keys.allCases.map(\.stringValue)
        let container = try container(keyedBy: AnyCodingKey.self)
        for key in container.allKeys where !known.contains(key.stringValue) {
            throw UnknownKeyError(codingPath: codingPath + [key], validKeys: known.sorted())
        }
    }
}
