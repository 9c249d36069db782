import Support
import Testing

/// `DecimalNumber.parse` reads plain decimals of any length as the Double they spell, and
/// nothing else.
@Suite("Decimal numbers")
struct DecimalNumberTests {
    static let twoHundredDigits = "1" + String(repeating: "0", count: 199)
    static let twoHundredFractionDigits = "0." + String(repeating: "0", count: 199) + "1"

    /// Long spellings and the value each spells.
    static let longSpellings: [(String, Double)] = [
        (twoHundredDigits, 1e199), (twoHundredFractionDigits, 1e-200), ("-" + twoHundredDigits, -1e199),
        ("42283.58" + String(repeating: "0", count: 300), 42283.58),
        (String(repeating: "0", count: 300) + "2209.72", 2209.72),
        ("1e" + String(repeating: "0", count: 100) + "5", 1e5),
    ]

    @Test("long plain decimals parse to the Double they spell", arguments: longSpellings)
    func longDecimals(_ pair: (String, Double)) {
        #expect(DecimalNumber.parse(pair.0) == pair.1)
        let viaBytes = Array(pair.0.utf8).withUnsafeBufferPointer { DecimalNumber.parse(bytes: $0) }
        #expect(viaBytes == pair.1)
    }

    @Test("a decimal beyond Double's range parses to an infinity, for the reader to refuse by name")
    func beyondRange() {
        #expect(DecimalNumber.parse("1" + String(repeating: "0", count: 400)) == .infinity)
        #expect(DecimalNumber.parse("-1e400") == -.infinity)
        // Below the smallest subnormal it rounds to zero, a finite value.
        #expect(DecimalNumber.parse("0." + String(repeating: "0", count: 400) + "1") == 0)
    }

    /// Texts that are not plain decimals, short and long.
    static let notDecimals: [String] = [
        "", "0x1p3", "1_000", " 1", "1 ", "nan", "inf", "1e", ".", "+", "1.2.3", "1e5e5", twoHundredDigits + "x",
        "0x" + twoHundredDigits, twoHundredDigits + "_0",
    ]

    @Test("anything but a plain decimal is refused, at any length (negative control)", arguments: notDecimals)
    func refused(_ text: String) {
        #expect(DecimalNumber.parse(text) == nil)
    }
}
