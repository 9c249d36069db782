import Foundation
import Testing

@testable import TensorModule

/// Kernels rewritten for speed must give the bits of the plain arithmetic they replace (the
/// pinned outputs and trained models depend on it). Each oracle is that arithmetic written out
/// as a scalar loop here, and each table has a negative control: an arithmetic that differs
/// only in order or form, which the comparison must tell apart.
@Suite("kernels keep the bits of their scalar arithmetic")
struct KernelBitIdentityTests {
    /// Values that try the edges of a square root, a sum and a product.
    static let edges: [Double] = [
        0, -0.0, 1, -1, 2, 0.5, 1e-310, -1e-310, 1e300, .infinity, -.infinity, .nan, 3.999, 1e-8, 7e7, -2.5,
    ]

    static func values(_ count: Int, seed: UInt64) -> [Double] {
        var state = seed
        return (0..<count).map { index in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let unit = Double(state >> 11) / Double(1 << 53)
            return index % 7 == 3 ? edges[index % edges.count] : (unit - 0.4) * pow(10, Double(index % 9) - 4)
        }
    }

    static func sameBits<S: BinaryFloatingPoint>(_ a: [S], _ b: [S]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { ($0.isNaN && $1.isNaN) || $0 == $1 && $0.sign == $1.sign }
    }

    @Test("vectorizableSquareRoot is squareRoot(), bit for bit (Float and Double)")
    func squareRoots() {
        let doubles = Self.values(500, seed: 1)
        #expect(Self.sameBits(doubles.map(Double.vectorizableSquareRoot), doubles.map { $0.squareRoot() }))
        let floats = doubles.map(Float.init)
        #expect(Self.sameBits(floats.map(Float.vectorizableSquareRoot), floats.map { $0.squareRoot() }))
        // Negative control: the reciprocal of the reciprocal square root rounds differently.
        #expect(!Self.sameBits(floats.map(Float.vectorizableSquareRoot), floats.map { 1 / (1 / $0.squareRoot()) }))
    }

    @Test(
        "columnSums adds each column from 0 in row order",
        arguments: [(1, 1), (5, 7), (3, 8), (40, 9), (17, 31), (300, 32), (64, 33), (9, 70), (256, 128)])
    func columnSums(rows: Int, width: Int) {
        let x = Self.values(rows * width, seed: UInt64(rows * 1000 + width)).map { Float($0.isFinite ? $0 : 1.5) }
        var sums = [Float](repeating: .nan, count: width)
        x.withUnsafeBufferPointer { source in
            sums.withUnsafeMutableBufferPointer { Kernels.columnSums(source, rows: rows, $0) }
        }
        let inOrder = (0..<width).map { column in (0..<rows).reduce(Float(0)) { $0 + x[$1 * width + column] } }
        #expect(Self.sameBits(sums, inOrder))
        if rows >= 40 {
            // Negative control: the same sums from the last row up differ in some column.
            let reversed = (0..<width).map { column in
                (0..<rows).reversed().reduce(Float(0)) { $0 + x[$1 * width + column] }
            }
            #expect(!Self.sameBits(sums, reversed))
        }
    }

    @Test("ReLU's backward multiplies by the indicator: NaN stays NaN, a negative upstream gives -0")
    func reluBackward() {
        let upstream = Self.values(203, seed: 7).map(Float.init)
        let input = Self.values(203, seed: 8).map(Float.init)
        var out = [Float](repeating: 1, count: upstream.count)
        upstream.withUnsafeBufferPointer { u in
            input.withUnsafeBufferPointer { x in
                out.withUnsafeMutableBufferPointer { Kernels.timesPositiveIndicator(u, of: x, $0) }
            }
        }
        #expect(Self.sameBits(out, zip(upstream, input).map { $0 * ($1 > 0 ? 1 : 0) }))
        // Negative control: selecting instead of multiplying loses -0 and NaN.
        #expect(!Self.sameBits(out, zip(upstream, input).map { $1 > 0 ? $0 : 0 }))
        // Through the op: d relu(x) . c / dx.
        let x = Tensor<Float>(shape: [203], scalars: input).requiringGradient()
        let c = Tensor<Float>(shape: [203], scalars: upstream)
        let gradient = (x.relu() * c).sum().gradients()[x]
        #expect(Self.sameBits(gradient?.scalars ?? [], out))
    }

    @Test("the Adam kernel is the update rule in Float arithmetic, element by element", arguments: [1, 8, 13, 1029])
    func adam(count: Int) {
        let step = Kernels.AdamStep<Float>(
            beta1: 0.9, beta2: 0.999, l2: 0.01, epsilon: 1e-8, stepSize: 1e-3 / 0.271, correction: 1 / 0.005_99)
        var parameter = Self.values(count, seed: 11).map(Float.init).map { $0.isFinite ? $0 : 0.25 }
        let gradient = Self.values(count, seed: 12).map(Float.init).map { $0.isFinite ? $0 : -3 }
        var first = Self.values(count, seed: 13).map { Float($0.isFinite ? $0 : 0.1) }
        var second = Self.values(count, seed: 14).map { Float($0.isFinite ? Swift.abs($0) : 2) }
        var expected = parameter
        for i in 0..<count {
            let g = gradient[i] + step.l2 * parameter[i]
            let m = step.beta1 * first[i] + (1 - step.beta1) * g
            let v = step.beta2 * second[i] + (1 - step.beta2) * g * g
            expected[i] -= step.stepSize * m / ((v * step.correction).squareRoot() + step.epsilon)
        }
        parameter.withUnsafeMutableBufferPointer { p in
            first.withUnsafeMutableBufferPointer { m in
                second.withUnsafeMutableBufferPointer { v in
                    gradient.withUnsafeBufferPointer { Float.kernelAdam(p, gradient: $0, first: m, second: v, step: step) }
                }
            }
        }
        #expect(Self.sameBits(parameter, expected))
    }
}
