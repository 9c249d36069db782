import Support
import TensorModule

/// Seeded weight initialisers. Uniform variants use only integer arithmetic and one
/// multiplication per draw, so they give identical numbers on every machine; normal
/// variants use `SeededGenerator.nextStandardNormal()`.
package enum Initializer: Sendable, Equatable {
    /// Glorot and Bengio (2010): `U(-a, a)` with `a = gain * sqrt(6 / (fanIn + fanOut))`.
    case xavierUniform(gain: Double = 1)
    /// Glorot and Bengio (2010): `N(0, s^2)` with `s = gain * sqrt(2 / (fanIn + fanOut))`.
    case xavierNormal(gain: Double = 1)
    /// He et al. (2015) for ReLU: `U(-a, a)` with `a = sqrt(6 / fanIn)`.
    case kaimingUniform
    /// He et al. (2015) for ReLU: `N(0, s^2)` with `s = sqrt(2 / fanIn)`.
    case kaimingNormal
    /// `U(-a, a)` with a fixed bound (PyTorch's default for recurrent cells, `1/sqrt(H)`).
    case uniform(bound: Double)
    /// All zeros (biases).
    case zeros

    /// A tensor of `shape` drawn from this initialiser.
    /// - Parameters:
    ///   - fanIn: inputs per output unit; `fanOut`: outputs per input unit.
    ///   - generator: the seeded source; advanced by one draw per element.
    package func tensor<Scalar: TensorScalar>(
        shape: [Int], fanIn: Int, fanOut: Int, using generator: inout SeededGenerator
    ) -> Tensor<Scalar> {
        let count = shape.elementCount
        let fanIn = Double(max(fanIn, 1))
        let fanOut = Double(max(fanOut, 1))
        let values: [Double]
        switch self {
        case .xavierUniform(let gain):
            values = uniformDraws(count, bound: gain * (6 / (fanIn + fanOut)).squareRoot(), &generator)
        case .xavierNormal(let gain):
            values = normalDraws(count, deviation: gain * (2 / (fanIn + fanOut)).squareRoot(), &generator)
        case .kaimingUniform:
            values = uniformDraws(count, bound: (6 / fanIn).squareRoot(), &generator)
        case .kaimingNormal:
            values = normalDraws(count, deviation: (2 / fanIn).squareRoot(), &generator)
        case .uniform(let bound):
            values = uniformDraws(count, bound: bound, &generator)
        case .zeros:
            values = Array(repeating: 0, count: count)
        }
        return Tensor(shape: shape, scalars: values.map { Scalar($0) })
    }
}

private func uniformDraws(_ count: Int, bound: Double, _ generator: inout SeededGenerator) -> [Double] {
    (0..<count).map { _ in (2 * generator.nextUnitInterval() - 1) * bound }
}

private func normalDraws(_ count: Int, deviation: Double, _ generator: inout SeededGenerator) -> [Double] {
    (0..<count).map { _ in generator.nextStandardNormal() * deviation }
}
