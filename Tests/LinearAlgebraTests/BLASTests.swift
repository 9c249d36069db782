import LinearAlgebra
import Support
import Testing

/// The BLAS wrappers against a naive triple loop (the simple reference kept beside the fast
/// path), for every transpose combination and both precisions.
@Suite("BLAS and LAPACK wrappers")
struct BLASTests {
    static func naiveProduct(_ a: [Double], _ b: [Double], m: Int, n: Int, k: Int, ta: Bool, tb: Bool) -> [Double] {
        var c = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                for p in 0..<k {
                    c[i * n + j] += (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j])
                }
            }
        }
        return c
    }

    @Test("gemm equals the naive product", arguments: [(false, false), (false, true), (true, false), (true, true)])
    func gemm(_ flags: (Bool, Bool)) {
        let (ta, tb) = flags
        let (m, n, k) = (5, 3, 4)
        var g = SeededGenerator(seed: 8)
        let a = (0..<(m * k)).map { _ in g.nextStandardNormal() }
        let b = (0..<(k * n)).map { _ in g.nextStandardNormal() }
        var c = [Double](repeating: 0, count: m * n)
        Double.gemm(
            Transpose(ta), Transpose(tb), m: m, n: n, k: k, alpha: 1, a: a, lda: ta ? m : k, b: b, ldb: tb ? k : n, beta: 0,
            c: &c, ldc: n)
        let expected = Self.naiveProduct(a, b, m: m, n: n, k: k, ta: ta, tb: tb)
        #expect(zip(c, expected).allSatisfy { Swift.abs($0 - $1) < 1e-12 })
        var cf = [Float](repeating: 0, count: m * n)
        Float.gemm(
            Transpose(ta), Transpose(tb), m: m, n: n, k: k, alpha: 1, a: a.map(Float.init), lda: ta ? m : k, b: b.map(Float.init),
            ldb: tb ? k : n, beta: 0, c: &cf, ldc: n)
        #expect(zip(cf, expected).allSatisfy { Swift.abs(Double($0) - $1) < 1e-5 })
    }

    @Test("dot and axpy")
    func level1() {
        let x: [Double] = [1, 2, 3]
        let y: [Double] = [4, 5, 6]
        #expect(Double.dot(count: 3, x, y) == 32)
        var z = y
        Double.axpy(count: 3, alpha: 2, x: x, y: &z)
        #expect(z == [6, 9, 12])
    }

    @Test("Cholesky solves a symmetric positive-definite system and rejects an indefinite one")
    func cholesky() throws {
        let a: [Double] = [4, 2, 0.6, 2, 5, 1, 0.6, 1, 3]
        let x: [Double] = [1, -2, 0.5]
        let b = (0..<3).map { i in (0..<3).reduce(0.0) { $0 + a[i * 3 + $1] * x[$1] } }
        let solved = try Cholesky(symmetric: a, order: 3).solve(b)
        #expect(zip(solved, x).allSatisfy { Swift.abs($0 - $1) < 1e-12 })
        let error = #expect(throws: Cholesky.NotPositiveDefinite.self) { try Cholesky(symmetric: [1, 2, 2, 1], order: 2) }
        #expect(error?.leadingMinor == 2)
    }

    @Test("the BLAS thread count can be set")
    func threads() {
        let before = BLASThreads.current
        BLASThreads.set(1)
        #expect(BLASThreads.current == 1)
        BLASThreads.set(before)
    }
}
