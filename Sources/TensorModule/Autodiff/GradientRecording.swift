/// Whether ops record the autodiff graph in the current task (`noGrad` inference).
///
/// A task-local value rather than a global: it is scoped to the closure and the task that
/// runs it, so concurrent inference and training cannot disturb each other.
package enum GradientRecording {
    @TaskLocal static var isDisabled = false

    /// Runs `body` without recording any graph: outputs are constants even when inputs
    /// require gradients. Use it for inference and evaluation.
    package static func withoutGradients<R>(_ body: () throws -> R) rethrows -> R {
        try $isDisabled.withValue(true) { try body() }
    }
}

extension Tensor {
    /// Makes an op's result, attaching a node when recording and any input needs a gradient.
    ///
    /// - Parameters:
    ///   - name: the op's name (for messages).
    ///   - inputs: the op's tensor inputs, in the order the backward rule returns gradients.
    ///   - backward: the op's backward rule; capture only what it needs, as constants.
    static func result(
        _ name: String, shape: [Int], scalars: [Scalar], inputs: [Tensor],
        backward: @escaping GraphNode<Scalar>.BackwardRule
    ) -> Tensor {
        guard inputs.contains(where: { $0.node != nil }), !GradientRecording.isDisabled else {
            return Tensor(shape: shape, scalars: scalars, node: nil)
        }
        // A closure, not the key path `\.node`: in this generic context a key path is built
        // at run time on every call (measured: about a tenth of a training step).
        let node = GraphNode(name: name, shape: shape, inputs: inputs.map { $0.node }, backward: backward)
        return Tensor(shape: shape, scalars: scalars, node: node)
    }
}
