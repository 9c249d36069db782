import TensorModule

/// Stochastic gradient descent with momentum, Nesterov momentum and L2 weight decay, with
/// PyTorch's update rule (`torch.optim.SGD`, dampening 0):
///
///     g = grad + weightDecay * p;  v = momentum * v + g (v = g on the first step)
///     p -= lr * (nesterov ? g + momentum * v : v)
package struct SGD<Scalar: TensorScalar>: Optimizer {
    package var learningRate: Double
    /// The momentum factor (0 for plain SGD).
    package let momentum: Double
    /// Whether to use Nesterov momentum.
    package let nesterov: Bool
    /// L2 penalty added to the gradient.
    package let weightDecay: Double
    private var velocity: [ObjectIdentifier: [Scalar]] = [:]

    /// - Precondition: non-negative rates.
    package init(learningRate: Double, momentum: Double = 0, nesterov: Bool = false, weightDecay: Double = 0) {
        precondition(learningRate >= 0 && momentum >= 0 && weightDecay >= 0, "SGD: rates must be non-negative")
        self.learningRate = learningRate
        self.momentum = momentum
        self.nesterov = nesterov
        self.weightDecay = weightDecay
    }

    package mutating func step(_ parameters: [Parameter<Scalar>], gradients: Gradients<Scalar>) {
        let (lr, mu, decay) = (Scalar(learningRate), Scalar(momentum), Scalar(weightDecay))
        for parameter in parameters {
            guard let gradient = gradients[parameter] else { continue }
            var buffer = velocity[parameter.key]
            let isFirst = buffer == nil
            if buffer == nil && mu != 0 { buffer = Array(repeating: 0, count: gradient.count) }
            OptimizerKernels.sgd(
                parameter: parameter, gradient: gradient, velocity: &buffer, isFirst: isFirst,
                learningRate: lr, momentum: mu, nesterov: nesterov, weightDecay: decay)
            velocity[parameter.key] = buffer
        }
    }
}
