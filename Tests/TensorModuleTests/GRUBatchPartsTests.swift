import Support
import Testing

@testable import TensorModule

/// The GRU kernels split the batch across threads (`Kernels.inBatchParts`): every row's
/// recurrence must come out the same whether its rows ran as one part or several. Not always
/// the same bits: OpenBLAS may round a matrix's edge rows through another micro-kernel (seen
/// with OPENBLAS_CORETYPE=Haswell on an AMD EPYC), so rows agree to a few ulps; a wrong row
/// offset moves them by far more (the row-independence test below is the negative control).
@Suite("GRU batch parts")
struct GRUBatchPartsTests {
    /// A Float GRU problem: B = 70 rows, T = 4 steps, H = 11 (one full 8-lane pass and a tail).
    struct Problem {
        let shape = Kernels.GRUShape(batch: 70, length: 4, hidden: 11)
        var gi: [Float], h0: [Float], weight: [Float], weightTransposed: [Float], bias: [Float], upstream: [Float]

        init(seed: UInt64) {
            var g = SeededGenerator(seed: seed)
            let (B, T, H) = (shape.batch, shape.length, shape.hidden)
            func draws(_ count: Int, _ scale: Float) -> [Float] {
                (0..<count).map { _ in Float.random(in: -scale...scale, using: &g) }
            }
            gi = draws(B * T * 3 * H, 1.5)
            h0 = draws(B * H, 1)
            weight = draws(3 * H * H, 0.5)
            bias = draws(3 * H, 0.5)
            upstream = draws(B * T * H, 1)
            let w = weight
            weightTransposed = (0..<(H * 3 * H)).map { w[($0 % (3 * H)) * H + $0 / (3 * H)] }
        }

        /// Outputs, saved gates, and the backward's per-row results, with the batch run as `parts`.
        func run(parts: [Range<Int>]) -> [[Float]] {
            let (B, T, H, G) = (shape.batch, shape.length, shape.hidden, shape.gates)
            let inputs = [gi, h0, weight, weightTransposed, bias, upstream].map { values in
                let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: values.count)
                _ = buffer.initialize(from: values)
                return UnsafeBufferPointer(buffer)
            }
            let outputs = [B * T * H, 4 * shape.block, B * T * G, B * H, T * B * G, T * B * (H + 1)].map { count in
                let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: count)
                buffer.initialize(repeating: .nan)
                return buffer
            }
            defer {
                inputs.forEach { $0.deallocate() }
                outputs.forEach { $0.deallocate() }
            }
            let (gi, h0, weight, weightTransposed, bias, upstream) = (
                inputs[0], inputs[1], inputs[2], inputs[3], inputs[4], inputs[5]
            )
            for rows in parts {
                Kernels.gruForward(
                    shape, rows: rows, gi: gi, h0: h0, weightHHTransposed: weightTransposed, biasHH: bias,
                    out: outputs[0], saved: outputs[1])
            }
            for rows in parts {
                Kernels.gruBackward(
                    shape, rows: rows, upstream: upstream, h0: h0, weightHH: weight, out: UnsafeBufferPointer(outputs[0]),
                    saved: UnsafeBufferPointer(outputs[1]), dgi: outputs[2], dh0: outputs[3], gateGradients: outputs[4],
                    previousStates: outputs[5])
            }
            return outputs.map { Array($0) }
        }
    }

    @Test("one part, two parts or five: every row agrees to a few ulps", arguments: [[33], [35], [1, 2, 30, 64]])
    func partsAgree(_ cuts: [Int]) {
        let problem = Problem(seed: 7)
        let bounds = [0] + cuts + [problem.shape.batch]
        let parts = zip(bounds, bounds.dropFirst()).map { $0..<$1 }
        let whole = problem.run(parts: [0..<problem.shape.batch])
        let split = problem.run(parts: parts)
        for (name, (a, b)) in zip(["out", "saved", "dgi", "dh0", "gate gradients", "previous states"], zip(whole, split)) {
            let firstDifference = a.indices.first { Swift.abs(a[$0] - b[$0]) > 1e-5 * Swift.max(1, Swift.abs(a[$0])) }
            #expect(firstDifference == nil, "\(name) differs at element \(firstDifference ?? -1) when split at \(cuts)")
            #expect(!a.contains { $0.isNaN }, "\(name) has an element no part wrote")
        }
    }

    @Test("a row depends on its own inputs only (negative control: changing row 50 moves row 50)")
    func rowsIndependent() {
        var problem = Problem(seed: 7)
        let before = problem.run(parts: [0..<problem.shape.batch])
        problem.h0[50 * problem.shape.hidden] += 0.25
        let after = problem.run(parts: [0..<problem.shape.batch])
        let rowSize = problem.shape.length * problem.shape.hidden
        let out = (before[0], after[0])
        #expect(out.0[0..<(50 * rowSize)] == out.1[0..<(50 * rowSize)])
        #expect(out.0[(50 * rowSize)..<(51 * rowSize)] != out.1[(50 * rowSize)..<(51 * rowSize)])
        #expect(out.0[(51 * rowSize)...] == out.1[(51 * rowSize)...])
    }
}
