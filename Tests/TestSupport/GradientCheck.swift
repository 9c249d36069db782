import Support
import TensorModule

/// The outcome of comparing analytic gradients with central finite differences.
package struct GradientCheckReport: Sendable, CustomStringConvertible {
    /// One element whose analytic and numeric derivatives disagree.
    package struct Mismatch: Sendable {
        package let leaf: String
        package let index: Int
        package let analytic: Double
        package let numeric: Double
    }

    /// Every disagreeing element (empty when the check passes).
    package let mismatches: [Mismatch]
    /// The number of elements compared.
    package let checked: Int

    /// Whether every element agreed.
    package var passed: Bool { mismatches.isEmpty }

    package var description: String {
        if passed { return "all \(checked) derivatives agree" }
        let shown = mismatches.prefix(5).map { "\($0.leaf)[\($0.index)]: analytic \($0.analytic), numeric \($0.numeric)" }
        return "\(mismatches.count) of \(checked) derivatives disagree: " + shown.joined(separator: "; ")
    }
}

/// Finite-difference gradient checking in Float64 (STYLE.md section 6).
///
/// The output is reduced to a scalar with a fixed random cotangent, `sum(f(x) * c)`, so a
/// routing bug (a wrong transpose) cannot hide behind an all-ones upstream gradient. Each
/// element is perturbed by `h = 1e-6 * max(1, |x|)` both ways; analytic `a` and numeric `n`
/// agree when `|a - n| <= relative * max(|a|, |n|)` or `|a - n| <= absolute`.
package enum GradientCheck {
    /// Checks the gradients of `function` with respect to `inputs` and `parameters`.
    /// - Parameters:
    ///   - inputs: tensors passed to `function` (gradients checked for each).
    ///   - parameters: parameters `function` reads (gradients checked for each).
    ///   - seed: fixes the cotangent.
    package static func check(
        inputs: [Tensor<Double>], parameters: [Parameter<Double>] = [], seed: UInt64 = 7,
        relative: Double = 1e-6, absolute: Double = 1e-9,
        _ function: ([Tensor<Double>]) -> Tensor<Double>
    ) -> GradientCheckReport {
        let leaves = inputs.map { $0.requiringGradient() }
        let output = function(leaves)
        var generator = SeededGenerator(seed: seed)
        let cotangent = Tensor<Double>(
            shape: output.shape, scalars: (0..<output.count).map { _ in generator.nextStandardNormal() })
        let gradients = (output * cotangent).sum().gradients()

        func objective(_ values: [Tensor<Double>]) -> Double {
            GradientRecording.withoutGradients { (function(values) * cotangent).sum().scalar }
        }
        func compare(_ leaf: String, _ index: Int, _ analytic: Double, _ numeric: Double) -> GradientCheckReport.Mismatch? {
            let difference = Swift.abs(analytic - numeric)
            if difference <= absolute || difference <= relative * Swift.max(Swift.abs(analytic), Swift.abs(numeric)) {
                return nil
            }
            return .init(leaf: leaf, index: index, analytic: analytic, numeric: numeric)
        }

        var mismatches: [GradientCheckReport.Mismatch] = []
        var checked = 0
        for (position, input) in inputs.enumerated() {
            let analytic = gradients[leaves[position]]?.scalars ?? Array(repeating: 0, count: input.count)
            for index in 0..<input.count {
                let x = input.scalars[index]
                let h = 1e-6 * Swift.max(1, Swift.abs(x))
                var values = inputs
                values[position] = input.replacing(index, with: x + h)
                let up = objective(values)
                values[position] = input.replacing(index, with: x - h)
                let down = objective(values)
                checked += 1
                if let mismatch = compare("input \(position)", index, analytic[index], (up - down) / (2 * h)) {
                    mismatches.append(mismatch)
                }
            }
        }
        for parameter in parameters {
            let original = parameter.value.detached
            let analytic = gradients[parameter]?.scalars ?? Array(repeating: 0, count: original.count)
            for index in 0..<original.count {
                let x = original.scalars[index]
                let h = 1e-6 * Swift.max(1, Swift.abs(x))
                parameter.assign(original.replacing(index, with: x + h))
                let up = objective(inputs)
                parameter.assign(original.replacing(index, with: x - h))
                let down = objective(inputs)
                parameter.assign(original)
                checked += 1
                if let mismatch = compare(parameter.name, index, analytic[index], (up - down) / (2 * h)) {
                    mismatches.append(mismatch)
                }
            }
        }
        return GradientCheckReport(mismatches: mismatches, checked: checked)
    }
}

extension Tensor {
    /// A copy with element `index` replaced.
    package func replacing(_ index: Int, with value: Scalar) -> Tensor {
        var scalars = self.scalars
        scalars[index] = value
        return Tensor(shape: shape, scalars: scalars)
    }
}
