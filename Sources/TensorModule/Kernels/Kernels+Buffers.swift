/// Scoped access to the memory of several arrays at once, so an op hands a kernel all its
/// buffers in one flat call instead of nesting a `withUnsafe...BufferPointer` closure per
/// array. The buffers are valid only inside the body that receives them.
extension Kernels {
    /// A new array a kernel writes: `count` elements, zero-filled first when the kernel
    /// accumulates into it, uninitialised when it writes every element.
    struct Output {
        let count: Int
        let zeroed: Bool

        /// An array the kernel writes whole (no zero-fill).
        static func uninitialized(count: Int) -> Output { Output(count: count, zeroed: false) }

        /// An array of zeros the kernel accumulates into (written as zero bytes, like
        /// `Array.zeroFilled`).
        static func zeroed(count: Int) -> Output { Output(count: count, zeroed: true) }
    }

    /// New arrays, one per element of `outputs`, written by `body` from the memory of
    /// `inputs`: `body(read, written)` receives `read[i]` holding `inputs[i]` and `written[j]`
    /// the memory of the `j`-th result.
    /// - Returns: the written arrays, in the order of `outputs`.
    static func arrays<S: TensorScalar>(
        _ outputs: [Output], from inputs: [[S]],
        _ body: (_ read: [UnsafeBufferPointer<S>], _ written: [UnsafeMutableBufferPointer<S>]) -> Void
    ) -> [[S]] {
        var read: [UnsafeBufferPointer<S>] = []
        var written: [UnsafeMutableBufferPointer<S>] = []
        var results = [[S]](repeating: [], count: outputs.count)
        read.reserveCapacity(inputs.count)
        written.reserveCapacity(outputs.count)
        // Each array's memory stays valid while its closure runs, so the recursion holds
        // every buffer open until `body` returns.
        func readInputs(from index: Int) {
            guard index < inputs.count else { return writeOutputs(from: 0) }
            inputs[index].withUnsafeBufferPointer { buffer in
                read.append(buffer)
                readInputs(from: index + 1)
            }
        }
        func writeOutputs(from index: Int) {
            guard index < outputs.count else { return body(read, written) }
            let output = outputs[index]
            let array = [S].uninitialized(count: output.count) { buffer in
                if output.zeroed { UnsafeMutableRawBufferPointer(buffer).initializeMemory(as: UInt8.self, repeating: 0) }
                written.append(buffer)
                writeOutputs(from: index + 1)
            }
            results[index] = array
        }
        readInputs(from: 0)
        return results
    }
}
