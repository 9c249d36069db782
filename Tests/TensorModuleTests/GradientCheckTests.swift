import TestSupport
import Testing

@testable import TensorModule

@Suite("Finite-difference gradient checks (Float64)")
struct GradientCheckTests {
    @Test("op gradient matches central differences", arguments: opGradientCases)
    func opGradient(_ testCase: OpGradientCase) {
        let report = GradientCheck.check(inputs: testCase.inputs, testCase.function)
        #expect(report.passed, "\(testCase): \(report)")
        #expect(report.checked == testCase.inputs.reduce(0) { $0 + $1.count })
    }

    @Test("a deliberately wrong backward makes the checker fail (negative control)")
    func wrongBackwardIsCaught() {
        // exp with the backward of identity: forward right, gradient wrong.
        func brokenExp(_ x: Tensor<Double>) -> Tensor<Double> {
            let y = x.mapped(.exp)
            return Tensor.result("broken_exp", shape: x.shape, scalars: y.scalars, inputs: [x]) { upstream in [upstream] }
        }
        let x = Tensor<Double>(shape: [2, 3], scalars: [0.1, -0.4, 0.8, 1.2, -1.0, 0.3])
        let report = GradientCheck.check(inputs: [x]) { brokenExp($0[0]) }
        #expect(!report.passed)
        #expect(report.mismatches.count == 6)
    }

    @Test("a transposed-gradient bug is caught thanks to the random cotangent")
    func routingBugIsCaught() {
        // Backward that transposes the upstream gradient of a square op: with an all-ones
        // upstream this would pass; with a random cotangent it must not.
        func badIdentity(_ x: Tensor<Double>) -> Tensor<Double> {
            Tensor.result("bad_identity", shape: x.shape, scalars: x.scalars, inputs: [x]) { upstream in [upstream.transposed()] }
        }
        let x = Tensor<Double>(shape: [3, 3], scalars: (0..<9).map(Double.init))
        #expect(!GradientCheck.check(inputs: [x]) { badIdentity($0[0]) }.passed)
    }
}
