/// Parses the numbers a data file may hold: plain decimal notation only, as NumPy and
/// pandas write them (`-12.5`, `0.003`, `1e-05`, `3.`), and nothing `Double.init(_:)`
/// would also take: no hexadecimal (`0x1p3`), no `inf` or `nan` spelt out, no `_`, no
/// spaces. A cell in any other form is a typo or an attack, never a number. A plain decimal
/// of any length is read (`1` followed by 199 zeros is 1e199) as the Double it rounds to,
/// infinite beyond Double's range (about 1.8e308) for the caller to refuse by name; the file's
/// size bound limits the length.
package enum DecimalNumber {
    /// The value of `text`, or nil unless it is `[+-]digits[.digits][(e|E)[+-]digits]` (at
    /// least one digit before or after the point); ±infinity beyond Double's range, 0 below
    /// its smallest subnormal.
    package static func parse(_ text: some StringProtocol) -> Double? {
        let wellFormed =
            text.utf8.withContiguousStorageIfAvailable(isPlainDecimal) ?? Array(text.utf8).withUnsafeBufferPointer(isPlainDecimal)
        return wellFormed ? Double(text) : nil
    }

    /// The value of the UTF-8 `bytes`, under the same rule as `parse(_:)`.
    package static func parse(bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        isPlainDecimal(bytes) ? Double(String(decoding: bytes, as: UTF8.self)) : nil
    }

    /// Whether `bytes` spell `[+-]digits[.digits][(e|E)[+-]digits]`.
    private static func isPlainDecimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard !bytes.isEmpty else { return false }
        var index = 0
        func digits() -> Int {
            let start = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
            return index - start
        }
        if bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
        var mantissa = digits()
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            mantissa += digits()
        }
        guard mantissa > 0 else { return false }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { return false }
        }
        return index == bytes.count
    }

    /// NaN or an infinity for the spellings NumPy and pandas write (`nan`, `inf`, `-inf`,
    /// `Infinity`, any case), so a reader can name the rule (not finite) rather than call
    /// the cell unparsable; nil for anything else.
    package static func nonFinite(_ text: some StringProtocol) -> Double? {
        switch text.lowercased() {
        case "nan", "+nan", "-nan": .nan
        case "inf", "+inf", "infinity", "+infinity": .infinity
        case "-inf", "-infinity": -.infinity
        default: nil
        }
    }
}
