/// Elementwise functions of one tensor. Each forward sits beside its backward; backward
/// rules reuse the forward output where that is cheaper (`exp`, `tanh`, `sigmoid`, `sqrt`).
extension Tensor {
    /// Applies `function` elementwise without recording anything.
    func mapped(_ function: UnaryFunction) -> Tensor {
        let scalars = [Scalar].uninitialized(count: count) { out in
            withUnsafeBufferPointer { Kernels.unary(function, $0, out) }
        }
        return Tensor(shape: shape, scalars: scalars, node: nil)
    }

    /// An elementwise op: forward by `function`, backward by `rule(upstream, input, output)`.
    private func elementwise(
        _ name: String, _ function: UnaryFunction,
        rule: @escaping @Sendable (_ upstream: Tensor, _ input: Tensor, _ output: Tensor) -> Tensor
    ) -> Tensor {
        let output = mapped(function)
        let input = detached
        return Tensor.result(name, shape: shape, scalars: output.scalars, inputs: [self]) { upstream in
            [rule(upstream, input, output)]
        }
    }

    /// `-x`; d/dx = -1.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    package static prefix func - (x: Tensor) -> Tensor {
        x.elementwise("neg", .negate) { upstream, _, _ in upstream.mapped(.negate) }
    }

    /// `e^x`; d/dx = e^x.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    package func exp() -> Tensor {
        elementwise("exp", .exp) { upstream, _, output in upstream * output }
    }

    /// Natural logarithm; d/dx = 1/x.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    package func log() -> Tensor {
        elementwise("log", .log) { upstream, input, _ in upstream / input }
    }

    /// Hyperbolic tangent; d/dx = 1 - tanh(x)^2.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    package func tanh() -> Tensor {
        elementwise("tanh", .tanh) { upstream, _, output in upstream * (1 - output.mapped(.square)) }
    }

    /// Logistic sigmoid `1 / (1 + e^-x)` (stable for large |x|); d/dx = s(1 - s).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    package func sigmoid() -> Tensor {
        elementwise("sigmoid", .sigmoid) { upstream, _, output in upstream * output * (1 - output) }
    }

    /// `max(x, 0)`; d/dx = 1 for x > 0, else 0.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    package func relu() -> Tensor {
        elementwise("relu", .relu) { upstream, input, _ in upstream.timesPositiveIndicator(of: input) }
    }

    /// `self * (mask > 0 ? 1 : 0)` element by element (ReLU's backward, one pass); `mask` is a
    /// constant, so d/dself is the same indicator.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func timesPositiveIndicator(of mask: Tensor) -> Tensor {
        precondition(shape == mask.shape, "timesPositiveIndicator: shapes \(shape) and \(mask.shape) differ")
        let scalars = [Scalar].uninitialized(count: count) { out in
            withUnsafeBufferPointer { upstream in
                mask.withUnsafeBufferPointer { Kernels.timesPositiveIndicator(upstream, of: $0, out) }
            }
        }
        return Tensor.result("relu_backward", shape: shape, scalars: scalars, inputs: [self]) { g in
            [g.timesPositiveIndicator(of: mask)]
        }
    }

    /// `log(1 + e^x)`, computed without overflow; d/dx = sigmoid(x).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    package func softplus() -> Tensor {
        elementwise("softplus", .softplus) { upstream, input, _ in upstream * input.mapped(.sigmoid) }
    }

    /// Square root; d/dx = 1 / (2 sqrt(x)).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    package func squareRoot() -> Tensor {
        elementwise("sqrt", .squareRoot) { upstream, _, output in upstream / output * 0.5 }
    }

    /// Absolute value; d/dx = sign(x) (0 at 0).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    package func abs() -> Tensor {
        elementwise("abs", .absoluteValue) { upstream, input, _ in upstream * input.mapped(.sign) }
    }

    /// `x^exponent`; d/dx = exponent * x^(exponent - 1).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    package func pow(_ exponent: Double) -> Tensor {
        elementwise("pow", .power(exponent)) { upstream, input, _ in
            upstream * input.mapped(.power(exponent - 1)) * Scalar(exponent)
        }
    }

    /// `x^2`; d/dx = 2x.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    package func squared() -> Tensor {
        elementwise("square", .square) { upstream, input, _ in upstream * input * 2 }
    }

    /// `min(max(x, lower), upper)`; d/dx = 1 strictly inside the bounds, else 0.
    /// - Precondition: `lower <= upper`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    package func clamped(to range: ClosedRange<Double>) -> Tensor {
        let (lower, upper) = (range.lowerBound, range.upperBound)
        return elementwise("clamp", .clamp(lower: lower, upper: upper)) { upstream, input, _ in
            upstream * input.mapped(.insideIndicator(lower: lower, upper: upper))
        }
    }
}
