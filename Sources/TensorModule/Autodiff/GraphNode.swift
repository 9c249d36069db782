/// One recorded operation in the autodiff graph.
///
/// Regimen uses a *graph*, not a global tape: every op whose inputs require gradients returns
/// a tensor holding a node that points at its inputs' nodes and holds the op's backward rule.
/// The graph is immutable and lives exactly as long as the tensors that reach it, so there is
/// no global state, no reset, and independent computations never interfere. `Tensor.gradients`
/// walks it from a scalar loss in reverse topological order (see `Tensor+Gradients.swift`).
///
/// Leaves (parameters and tensors made with `requiringGradient()`) have no inputs and no
/// backward rule; their identity keys the `Gradients` store.
final class GraphNode<Scalar: TensorScalar>: @unchecked Sendable {
    /// Maps the gradient of the op's output (`upstream`) to one gradient per input, `nil` for
    /// inputs that need none. Never mutates anything.
    typealias BackwardRule = @Sendable (_ upstream: Tensor<Scalar>) -> [Tensor<Scalar>?]

    /// The op's name, for error messages.
    let name: String
    /// The shape of the op's output.
    let shape: [Int]
    /// Nodes of the op's inputs, aligned with the backward rule's results; `nil` for a
    /// constant input.
    let inputs: [GraphNode?]
    /// The backward rule, `nil` for a leaf.
    let backward: BackwardRule?

    init(name: String, shape: [Int], inputs: [GraphNode?], backward: @escaping BackwardRule) {
        self.name = name
        self.shape = shape
        self.inputs = inputs
        self.backward = backward
    }

    init(leafOfShape shape: [Int], name: String) {
        self.name = name
        self.shape = shape
        self.inputs = []
        self.backward = nil
    }

    /// Whether this node is a leaf (a parameter or an input that requires a gradient).
    var isLeaf: Bool { backward == nil }
}
