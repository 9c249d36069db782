/// Decoding a value that settings files spell as one of a closed set of names (a risk
/// measure, an objective, a sleeve): any other text is refused with the valid names listed,
/// so a typo in a config is a message, never a silent default.
package enum NamedChoice {
    /// The choice spelled by the decoder's string.
    /// - Parameter choices: each valid spelling with its value, in the order the message lists them.
    /// - Throws: `DecodingError.dataCorrupted` naming the valid spellings and the text found.
    package static func decode<Value>(_ decoder: any Decoder, _ choices: [(spelling: String, value: Value)]) throws -> Value {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let choice = choices.first(where: { $0.spelling == text }) else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: decoder.codingPath,
                    debugDescription: "must be one of \(choices.map(\.spelling).joined(separator: ", ")); found '\(text)'"))
        }
        return choice.value
    }
}
