import RealModule
import TensorModule

/// Adam (Kingma and Ba, 2015) and AdamW (Loshchilov and Hutter, 2019), with PyTorch's
/// update rules (`torch.optim.Adam` / `AdamW`):
///
///     Adam:  g = grad + weightDecay * p            (L2 penalty in the gradient)
///     AdamW: p = p * (1 - lr * weightDecay)        (decoupled decay), g = grad
///     m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2
///     p -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
package struct Adam<Scalar: TensorScalar>: Optimizer {
    package var learningRate: Double
    /// Decay of the first moment.
    package let beta1: Double
    /// Decay of the second moment.
    package let beta2: Double
    /// Added to the root of the second moment.
    package let epsilon: Double
    /// Weight decay: an L2 term (Adam) or decoupled shrinkage (AdamW).
    package let weightDecay: Double
    /// Whether weight decay is decoupled (AdamW).
    package let decoupled: Bool
    private var moments: [ObjectIdentifier: (first: [Scalar], second: [Scalar])] = [:]
    private var stepCount = 0

    /// Adam with an optional L2 penalty.
    package init(
        learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8, weightDecay: Double = 0
    ) {
        self.init(learningRate, beta1, beta2, epsilon, weightDecay, decoupled: false)
    }

    /// AdamW: Adam with decoupled weight decay (PyTorch's default decay 0.01).
    package static func adamW(
        learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
        weightDecay: Double = 0.01
    ) -> Adam {
        Adam(learningRate, beta1, beta2, epsilon, weightDecay, decoupled: true)
    }

    private init(
        _ learningRate: Double, _ beta1: Double, _ beta2: Double, _ epsilon: Double, _ weightDecay: Double, decoupled: Bool
    ) {
        precondition(
            learningRate >= 0 && (0..<1).contains(beta1) && (0..<1).contains(beta2) && epsilon > 0 && weightDecay >= 0,
            "Adam: need lr >= 0, betas in [0, 1), epsilon > 0, weight decay >= 0")
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decoupled = decoupled
    }

    /// The number of steps taken (`t` in the bias corrections).
    package var steps: Int { stepCount }

    /// The moment estimates of `parameters` (zeros for parameters not yet stepped), for
    /// checkpoints.
    package func moments(of parameters: [Parameter<Scalar>]) -> [(first: [Scalar], second: [Scalar])] {
        parameters.map {
            moments[$0.key] ?? (
                Array(repeating: 0, count: $0.shape.elementCount), Array(repeating: 0, count: $0.shape.elementCount)
            )
        }
    }

    /// Restores the state saved by `moments(of:)` and `steps` (resuming a checkpoint).
    package mutating func restore(
        steps: Int, moments saved: [(first: [Scalar], second: [Scalar])], of parameters: [Parameter<Scalar>]
    ) {
        stepCount = steps
        for (parameter, state) in zip(parameters, saved) { moments[parameter.key] = state }
    }

    package mutating func step(_ parameters: [Parameter<Scalar>], gradients: Gradients<Scalar>) {
        stepCount += 1
        let t = Double(stepCount)
        let (rate, decay) = (Scalar(learningRate), Scalar(weightDecay))
        let shrink: Scalar? = decoupled ? 1 - rate * decay : nil
        let update = Kernels.AdamStep(
            beta1: Scalar(beta1), beta2: Scalar(beta2), l2: decoupled ? 0 : decay, epsilon: Scalar(epsilon),
            stepSize: rate * Scalar(1 / (1 - Double.pow(beta1, t))), correction: Scalar(1 / (1 - Double.pow(beta2, t))))
        for parameter in parameters {
            guard let gradient = gradients[parameter] else { continue }
            var state =
                moments.removeValue(forKey: parameter.key)
                ?? (Array(repeating: 0, count: gradient.count), Array(repeating: 0, count: gradient.count))
            OptimizerKernels.adam(
                parameter: parameter, gradient: gradient, first: &state.first, second: &state.second, shrink: shrink,
                step: update)
            moments[parameter.key] = state
        }
    }
}
