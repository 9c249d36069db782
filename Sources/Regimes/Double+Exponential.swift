extension Double {
    /// `exp(x)` for `x <= 0`, in plain arithmetic so that a loop over it vectorises (the C
    /// library's `exp` is a call per element; in a Baum-Welch round it was 8% of the time).
    ///
    /// Cephes' `exp` (S. L. Moshier, Cephes Mathematical Library, `exp.c`): `x = n ln 2 + r`
    /// with `|r| <= ln 2 / 2` (`ln 2` split in two parts so `r` is exact), then
    /// `exp(r) = 1 + 2 r P(r^2) / (Q(r^2) - r P(r^2))`, a (3, 4) Padé form; relative error
    /// about 1 unit in the last place. Inputs below -708 return `exp(-708)` (about 3.3e-308,
    /// the smallest the `2^n` scaling reaches without subnormals) instead of a smaller number
    /// or 0.
    @inline(__always)
    package static func exponentOfNonPositive(_ value: Double) -> Double {
        let x = Swift.max(value, -708)
        let n = (x * 1.442_695_040_888_963_4 + 0.5).rounded(.down)
        let r = x - n * 6.931_457_519_531_25e-1 - n * 1.428_606_820_309_417_232_12e-6
        let rr = r * r
        let p =
            r * ((1.261_771_930_748_105_908_78e-4 * rr + 3.029_944_077_074_419_613_00e-2) * rr + 9.999_999_999_999_999_999_10e-1)
        let q =
            ((3.001_985_051_386_644_550_42e-6 * rr + 2.524_483_403_496_841_041_92e-3) * rr + 2.272_655_482_081_550_287_66e-1) * rr
            + 2.000_000_000_000_000_000_09
        let e = 1 + 2 * p / (q - p)
        // 2^n without a (trapping, hence unvectorisable) Double-to-Int conversion: adding
        // 1.5 * 2^52 leaves the integer n + 1023 in the low mantissa bits.
        let biased = (n + 1023 + 6_755_399_441_055_744).bitPattern & 0x7FF
        return e * Double(bitPattern: biased << 52)
    }
}
