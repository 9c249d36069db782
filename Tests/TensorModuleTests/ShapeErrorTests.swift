import Foundation
import TensorModule
import Testing

/// Shape misuse traps with a message that names the op and both shapes (exit tests run the
/// body in a child process and read its standard error).
@Suite("Shape mismatches name the op and the shapes")
struct ShapeErrorTests {
    /// Checks that the child's standard error contains `expected`.
    static func expectMessage(_ result: ExitTest.Result?, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let stderr = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(stderr.contains(expected), "stderr was: \(stderr)", sourceLocation: sourceLocation)
    }

    @Test("broadcasting [3, 4] with [5]")
    func broadcast() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Double>.zeros([3, 4]) + Tensor<Double>.zeros([5])
        }
        Self.expectMessage(result, "add: shapes [3, 4] and [5] cannot be broadcast together")
    }

    @Test("matmul with inner extents that differ")
    func matmul() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.matmul(Tensor<Float>.zeros([2, 3]), Tensor<Float>.zeros([4, 5]))
        }
        Self.expectMessage(result, "matmul: shapes [2, 3] and [4, 5] have inner extents 3 and 4 that differ")
    }

    @Test("reshape to a different element count")
    func reshape() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Double>.zeros([2, 3]).reshaped([4, 2])
        }
        Self.expectMessage(result, "reshape: cannot reshape [2, 3] (6 elements) to [4, 2]")
    }

    @Test("concat of shapes that differ off the axis")
    func concat() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.concatenated([Tensor<Double>.zeros([2, 3]), Tensor<Double>.zeros([3, 3])], alongAxis: 1)
        }
        Self.expectMessage(result, "concat: shapes [2, 3] and [3, 3] differ off axis 1")
    }

    @Test("an axis out of range")
    func axis() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Double>.zeros([2, 3]).sum(alongAxis: 2)
        }
        Self.expectMessage(result, "sum: axis 2 is out of range for shape [2, 3]")
    }
}
