import Foundation
import Regimes
import Testing

/// The vectorisable `Double.exponentOfNonPositive` (Cephes' `exp`) against the C library's.
@Suite("Double exponential kernel")
struct ExponentialTests {
    /// Whether `value` is within `ulps` units in the last place of `exact`.
    static func close(_ value: Double, _ exact: Double, ulps: Double) -> Bool {
        Swift.abs(value - exact) <= ulps * exact.ulp
    }

    static let grid: [Double] =
        stride(from: -708.0, through: 0, by: 0.0173).map { $0 } + [-1e-300, -0.0, -1e-12, -0.5, -0.3465735902799726]

    @Test("within 2 units in the last place of exp on [-708, 0]; exp(0) = 1 exactly")
    func accuracy() {
        for x in Self.grid {
            let value = Double.exponentOfNonPositive(x)
            #expect(Self.close(value, Foundation.exp(x), ulps: 2), "exp(\(x)) = \(value), libm \(Foundation.exp(x))")
        }
        #expect(Double.exponentOfNonPositive(0) == 1)
        #expect(Double.exponentOfNonPositive(-0.0) == 1)
    }

    @Test("below -708 subnormal like the C library's exp, then 0")
    func subnormals() {
        for x in stride(from: -708.0, through: -745.0, by: -0.0371) {
            let (value, exact) = (Double.exponentOfNonPositive(x), Foundation.exp(x))
            #expect(Self.close(value, exact, ulps: 2), "exp(\(x)) = \(value), libm \(exact)")
        }
        #expect(Double.exponentOfNonPositive(-720).isSubnormal)
        for x in [-746.0, -1e6, -.infinity] {
            #expect(Double.exponentOfNonPositive(x) == 0)
        }
    }

    @Test("the bound has teeth: a value off by 1e-15 relative fails it (negative control)")
    func negativeControl() {
        let failures = Self.grid.filter { x in
            let exact = Foundation.exp(x)
            return !Self.close(exact * (1 + 1e-15), exact, ulps: 2)
        }
        #expect(failures.count > Self.grid.count / 2)
    }
}
