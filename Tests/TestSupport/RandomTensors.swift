import Support
import TensorModule

extension SeededGenerator {
    /// A tensor of standard normal draws.
    package mutating func normalTensor(_ shape: [Int]) -> Tensor<Double> {
        Tensor(shape: shape, scalars: (0..<shape.elementCount).map { _ in nextStandardNormal() })
    }

    /// A tensor of uniform draws in `range`.
    package mutating func uniformTensor(_ shape: [Int], in range: ClosedRange<Double>) -> Tensor<Double> {
        Tensor(
            shape: shape,
            scalars: (0..<shape.elementCount).map { _ in
                range.lowerBound + (range.upperBound - range.lowerBound) * nextUnitInterval()
            })
    }

    /// Normal draws pushed at least `margin` away from each point in `kinks` (inputs for
    /// `relu`, `abs`, `clamp`, where the derivative jumps).
    package mutating func tensorAvoiding(_ kinks: [Double], margin: Double, shape: [Int]) -> Tensor<Double> {
        Tensor(
            shape: shape,
            scalars: (0..<shape.elementCount).map { _ in
                var value = nextStandardNormal()
                for kink in kinks where Swift.abs(value - kink) < margin {
                    value = kink + (value >= kink ? margin : -margin)
                }
                return value
            })
    }
}
