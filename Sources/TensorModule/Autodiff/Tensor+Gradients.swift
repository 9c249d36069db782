extension Tensor {
    /// Reverse-mode gradients of this scalar with respect to every leaf it depends on.
    ///
    /// The engine, not the ops, does the bookkeeping: an iterative depth-first search gives a
    /// topological order (no recursion, so long recurrent graphs cannot overflow the stack);
    /// nodes are visited from the output back; each node's gradient is complete before its
    /// rule runs (a node used twice accumulates both contributions); every gradient's shape
    /// is checked against its input's; constants are never visited. The backward pass records
    /// no graph of its own.
    /// - Precondition: the tensor has exactly one element.
    @_specialize(where Scalar == Float)
    package func gradients() -> Gradients<Scalar> {
        precondition(count == 1, "gradients(): the loss must be a scalar, got shape \(shape)")
        return gradients(seed: Tensor(shape: shape, scalars: [1]))
    }

    /// Vector-Jacobian product: gradients of `sum(self * seed)` with respect to the leaves.
    /// - Precondition: `seed.shape == shape`.
    // Pre-specialised: called from other modules, the generic walk looked up the metadata of
    // its arrays, optionals and zips at every node (a fifth of a policy training step).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    package func gradients(seed: Tensor) -> Gradients<Scalar> {
        precondition(seed.shape == shape, "gradients(seed:): seed shape \(seed.shape) does not match output shape \(shape)")
        guard let root = node else { return Gradients() }
        let order = topologicalOrder(from: root)
        var pending: [ObjectIdentifier: Tensor] = [ObjectIdentifier(root): seed.detached]
        var leaves: [ObjectIdentifier: Tensor] = [:]
        GradientRecording.$isDisabled.withValue(true) {
            for current in order.reversed() {
                let key = ObjectIdentifier(current)
                guard let upstream = pending.removeValue(forKey: key) else { continue }
                guard let rule = current.backward else {
                    leaves[key] = upstream
                    continue
                }
                let inputGradients = rule(upstream)
                precondition(
                    inputGradients.count == current.inputs.count,
                    "\(current.name) backward: returned \(inputGradients.count) gradients for \(current.inputs.count) inputs")
                for (input, gradient) in zip(current.inputs, inputGradients) {
                    guard let input, let gradient else { continue }
                    precondition(
                        gradient.shape == input.shape,
                        "\(current.name) backward: gradient shape \(gradient.shape) does not match input shape \(input.shape)")
                    let inputKey = ObjectIdentifier(input)
                    if let existing = pending[inputKey] {
                        pending[inputKey] = existing.adding(gradient)
                    } else {
                        pending[inputKey] = gradient
                    }
                }
            }
        }
        return Gradients(storage: leaves)
    }
}

/// Nodes reachable from `root`, each after all of its inputs (post-order DFS, iterative).
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
private func topologicalOrder<Scalar>(from root: GraphNode<Scalar>) -> [GraphNode<Scalar>] {
    var order: [GraphNode<Scalar>] = []
    var visited: Set<ObjectIdentifier> = [ObjectIdentifier(root)]
    var stack: [(node: GraphNode<Scalar>, nextInput: Int)] = [(root, 0)]
    while !stack.isEmpty {
        let (node, nextInput) = stack[stack.count - 1]
        if nextInput < node.inputs.count {
            stack[stack.count - 1].nextInput += 1
            if let input = node.inputs[nextInput], visited.insert(ObjectIdentifier(input)).inserted {
                stack.append((input, 0))
            }
        } else {
            order.append(node)
            stack.removeLast()
        }
    }
    return order
}
