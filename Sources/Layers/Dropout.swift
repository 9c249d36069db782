import Support
import TensorModule

/// Inverted dropout: in training, zeroes each element with probability `rate` and scales the
/// survivors by `1 / (1 - rate)`; at inference it is the identity. The mask comes from the
/// caller's seeded generator, so a seed fixes which units drop.
package struct Dropout: Sendable {
    /// The probability of dropping an element, in `[0, 1)`.
    package let rate: Double

    /// - Precondition: `0 <= rate < 1`.
    package init(rate: Double) {
        precondition(rate >= 0 && rate < 1, "Dropout: rate must be in [0, 1), got \(rate)")
        self.rate = rate
    }

    /// Applies dropout when `training`, drawing one uniform number per element.
    package func callAsFunction<Scalar: TensorScalar>(
        _ x: Tensor<Scalar>, training: Bool, using generator: inout SeededGenerator
    ) -> Tensor<Scalar> {
        guard training, rate > 0 else { return x }
        let keep = 1 / Scalar(1 - rate)
        let mask = (0..<x.count).map { _ in generator.nextUnitInterval() >= rate ? keep : 0 }
        return x * Tensor(shape: x.shape, scalars: mask)
    }
}
