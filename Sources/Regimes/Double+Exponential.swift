extension Double {
    /// `exp(x)` for `x <= 0`, in plain arithmetic so that a loop over it vectorises (the C
    /// library's `exp` is a call per element; in a Baum-Welch round it was 8% of the time).
    ///
    /// Cephes' `exp` (S. L. Moshier, Cephes Mathematical Library, `exp.c`): `x = n ln 2 + r`
    /// with `|r| <= ln 2 / 2` (`ln 2` split in two parts so `r` is exact), then
    /// `exp(r) = 1 + 2 r P(r^2) / (Q(r^2) - r P(r^2))`, a (3, 4) Padé form; relative error
    /// about 1 unit in the last place. Below -708 the result is subnormal, as the C library's
    /// is (`2^n` applied as two normal factors, so the last product rounds into the
    /// subnormals); below about -745.1 it is 0.
    @inline(__always)
    package static func exponentOfNonPositive(_ value: Double) -> Double {
        let x = Swift.max(value, -746)
        let n = (x * 1.442_695_040_888_963_4 + 0.5).rounded(.down)
        let r = x - n * 6.931_457_519_531_25e-1 - n * 1.428_606_820_309_417_232_12e-6
        let rr = r * r
        let p =
            r * ((1.261_771_930_748_105_908_78e-4 * rr + 3.029_944_077_074_419_613_00e-2) * rr + 9.999_999_999_999_999_999_10e-1)
        let q =
            ((3.001_985_051_386_644_550_42e-6 * rr + 2.524_483_403_496_841_041_92e-3) * rr + 2.272_655_482_081_550_287_66e-1) * rr
            + 2.000_000_000_000_000_000_09
        let e = 1 + 2 * p / (q - p)
        // 2^n = 2^a 2^b with a = floor(n / 2), b = n - a, both in [-539, 0]: normal numbers.
        // Each without a (trapping, hence unvectorisable) Double-to-Int conversion: adding
        // 1.5 * 2^52 leaves the integer a + 1023 in the low mantissa bits.
        let a = (n * 0.5).rounded(.down)
        return e * Self.powerOfTwo(a) * Self.powerOfTwo(n - a)
    }

    /// `2^n` for an integral `n` in [-1022, 1023].
    @inline(__always)
    private static func powerOfTwo(_ n: Double) -> Double {
        Double(bitPattern: ((n + 1023 + 6_755_399_441_055_744).bitPattern & 0x7FF) << 52)
    }
}
