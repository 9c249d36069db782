import Foundation

/// The one JSON form Regimen writes: UTF-8, keys sorted, two-space indentation, a final
/// newline; the same value always gives the same bytes.
package enum CanonicalJSON {
    /// Encodes `value`.
    package static func encode(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        var data = try encoder.encode(value)
        data.append(UInt8(ascii: "\n"))
        return data
    }

    /// `value` as one line of JSON Lines: sorted keys, no newline inside, none at the end.
    package static func encodeLine(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
