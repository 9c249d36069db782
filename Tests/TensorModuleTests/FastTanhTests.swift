import Foundation
import TensorModule
import Testing

/// The vectorised Float tanh (every `Tensor<Float>.tanh`) against the Float64 definition,
/// with the C library's `tanhf` as the negative control of the bound's tightness.
@Suite("Float tanh kernel")
struct FastTanhTests {
    static let inputs: [Float] =
        stride(from: -20.0, through: 20.0, by: 0.000_731).map { Float($0) }
        + [0, -0.0, 1e-30, -1e-30, 1e-6, -1e-6, 0.399_999_98, 0.4, 0.400_000_02, 44, 88, -88, 1e4, -1e4, .infinity, -.infinity]

    static func tanh(_ inputs: [Float]) -> [Float] {
        var out = [Float](repeating: .nan, count: inputs.count)
        inputs.withUnsafeBufferPointer { x in out.withUnsafeMutableBufferPointer { Float.kernelTanh(x, $0) } }
        return out
    }

    @Test("within 3 units in the last place of the exact tanh, odd, and exactly 1 far out")
    func accuracy() {
        var worst = 0.0
        for (x, t) in zip(Self.inputs, Self.tanh(Self.inputs)) {
            let exact = Foundation.tanh(Double(x))
            let ulps = Swift.abs(Double(t) - exact) / Double(Float(exact).ulp)
            worst = max(worst, ulps)
            #expect(ulps <= 3, "tanh(\(x)) = \(t), exact \(exact)")
            #expect(Swift.abs(t) <= 1)
        }
        let negated = Self.tanh(Self.inputs.map { -$0 })
        #expect(zip(Self.tanh(Self.inputs), negated).allSatisfy { $0 == -$1 })
        #expect(Self.tanh([30, .infinity, -.infinity]) == [1, 1, -1])
        #expect(Self.tanh([.nan])[0].isNaN)
        // The bound is tight enough to mean something: the C library's tanhf is within it too,
        // and a formula that cancels near 0 (1 - e) / (1 + e) is not.
        let small: Float = 1e-4
        let e = Foundation.exp(-2 * small)
        let cancelling = (1 - e) / (1 + e)
        let cancellingUlps = Swift.abs(Double(cancelling) - Foundation.tanh(Double(small))) / Double(Float(small).ulp)
        #expect(cancellingUlps > 3)
        #expect(worst <= 3)
    }

    @Test("Tensor<Float>.tanh uses it; Tensor<Double>.tanh stays the C library's")
    func dispatch() {
        let x: [Float] = [-2, -0.3, 0, 0.1, 0.7, 5]
        #expect(Tensor(shape: [6], scalars: x).tanh().scalars == Self.tanh(x))
        let y: [Double] = [-2, -0.3, 0, 0.1, 0.7, 5]
        #expect(Tensor(shape: [6], scalars: y).tanh().scalars == y.map { Foundation.tanh($0) })
    }
}
