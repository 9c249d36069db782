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

extension Decoder {
    /// Rejects a mapping that holds a key `Keys` does not name, so a misspelt setting is an
    /// error rather than a silent default (LESSONS: configs that ignore typos).
    /// - Throws: `DecodingError.dataCorrupted` whose coding path ends at the unknown key.
    package func rejectUnknownKeys<Keys: CodingKey & CaseIterable>(_ keys: Keys.Type) throws {
        let known = Keys.allCases.map(\.stringValue)
        let container = try container(keyedBy: AnyCodingKey.self)
        for key in container.allKeys where !known.contains(key.stringValue) {
            throw DecodingError.dataCorrupted(DecodingError.Context(
                codingPath: codingPath + [key],
                debugDescription: "unknown key '\(key.stringValue)'; valid keys: \(known.sorted().joined(separator: ", "))"))
        }
    }
}
