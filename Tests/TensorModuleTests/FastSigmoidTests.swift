import Foundation
import TensorModule
import Testing

/// The vectorised Float sigmoid (used by the fused GRU) against the Float64 definition.
@Suite("Float sigmoid kernel")
struct FastSigmoidTests {
    @Test("within 2 units in the last place of the exact sigmoid above -87, at most exp(-87) below")
    func accuracy() {
        let inputs: [Float] =
            stride(from: -100.0, through: 100.0, by: 0.0137).map { Float($0) } + [0, -0.0, 1e-30, -1e-30, 88, -88, 1e4, -1e4]
        var values = inputs
        values.withUnsafeMutableBufferPointer { Float.kernelSigmoidInPlace($0) }
        for (x, s) in zip(inputs, values) {
            let exact = 1 / (1 + Foundation.exp(-Double(x)))
            if x < -87 {
                // Documented: the exponential is clamped at exp(-87.3), about 1.2e-38, so nothing below -87 exceeds exp(-87) = 1.65e-38.
                #expect(s <= 1.7e-38, "sigmoid(\(x)) = \(s)")
            } else {
                #expect(Swift.abs(Double(s) - exact) <= 2 * Double(Float(exact).ulp), "sigmoid(\(x)) = \(s), exact \(exact)")
            }
            #expect(s >= 0 && s <= 1)
        }
        #expect(values[inputs.count - 2] == 1)
        #expect(values[inputs.count - 1] <= 1.3e-38)
    }
}
