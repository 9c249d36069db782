/// A seeded pseudo-random generator that gives the same numbers on every machine.
///
/// The state is xoshiro256** (Blackman and Vigna, 2018), seeded by expanding one 64-bit seed
/// through SplitMix64, as the authors recommend. Only integer arithmetic is involved, so a
/// seed produces the same stream on every platform and build. Pass it explicitly
/// (`using: &generator`); there is no global generator.
package struct SeededGenerator: RandomNumberGenerator, Sendable, Equatable, Codable {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    /// Creates a generator whose whole stream is fixed by `seed`.
    package init(seed: UInt64) {
        var splitMix = SplitMix64(seed: seed)
        state = (splitMix.next(), splitMix.next(), splitMix.next(), splitMix.next())
    }

    /// The next 64 random bits.
    package mutating func next() -> UInt64 {
        let result = rotateLeft(state.1 &* 5, by: 7) &* 9
        let shifted = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= shifted
        state.3 = rotateLeft(state.3, by: 45)
        return result
    }

    /// A uniform double in [0, 1) built from the top 53 bits (exact, machine independent).
    package mutating func nextUnitInterval() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A standard normal draw by the Marsaglia polar method.
    ///
    /// Uses only arithmetic, `sqrt` (correctly rounded by IEEE 754) and `log` from the C
    /// library; draws are identical wherever the C library's `log` is (glibc's is correctly
    /// rounded in practice on x86_64 and arm64).
    package mutating func nextStandardNormal() -> Double {
        while true {
            let u = 2 * nextUnitInterval() - 1
            let v = 2 * nextUnitInterval() - 1
            let s = u * u + v * v
            if s > 0 && s < 1 {
                return u * (-2 * logarithm(s) / s).squareRoot()
            }
        }
    }

    /// A generator for an independent stream, derived deterministically from this one.
    package mutating func split() -> SeededGenerator {
        SeededGenerator(seed: next())
    }

    package static func == (lhs: SeededGenerator, rhs: SeededGenerator) -> Bool {
        lhs.state == rhs.state
    }

    /// The four state words, so a training checkpoint can resume the exact stream.
    package init(from decoder: any Decoder) throws {
        var c = try decoder.unkeyedContainer()
        state = (try c.decode(UInt64.self), try c.decode(UInt64.self), try c.decode(UInt64.self), try c.decode(UInt64.self))
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.unkeyedContainer()
        try c.encode(state.0)
        try c.encode(state.1)
        try c.encode(state.2)
        try c.encode(state.3)
    }
}

@inline(__always)
private func rotateLeft(_ value: UInt64, by amount: UInt64) -> UInt64 {
    (value << amount) | (value >> (64 - amount))
}

/// SplitMix64 (Steele, Lea and Flood, 2014): used only to expand a seed into xoshiro state.
private struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
