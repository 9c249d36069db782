import RealModule

/// Raw loops over contiguous buffers: the only code in the module that touches pointers.
///
/// Every kernel is generic over the scalar type and pre-specialised for `Float` and
/// `Double` with `@_specialize`, so the generic entry dispatches to a concrete loop (the
/// arithmetic is inlined and vectorisable instead of going through protocol witnesses).
package enum Kernels {}

/// An elementwise function of one argument. Parameters travel as `Double` and are converted
/// once per call.
enum UnaryFunction: Sendable {
    case negate, exp, log, tanh, sigmoid, relu, softplus, squareRoot, absoluteValue, square
    /// `x^exponent`.
    case power(Double)
    /// `min(max(x, lower), upper)`.
    case clamp(lower: Double, upper: Double)
    /// `x * factor`.
    case scale(Double)
    /// `x + offset`.
    case shift(Double)
    /// -1, 0 or 1 (the derivative of `abs`).
    case sign
    /// 1 where `lower < x < upper`, else 0 (the derivative of `clamp`).
    case insideIndicator(lower: Double, upper: Double)
}

/// An elementwise function of two arguments.
enum BinaryOperator: Sendable {
    case add, subtract, multiply, divide
}

extension Kernels {
    /// `out[i] = f(x[i])`.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func unary<S: TensorScalar>(
        _ function: UnaryFunction, _ x: UnsafeBufferPointer<S>, _ out: UnsafeMutableBufferPointer<S>
    ) {
        let n = x.count
        switch function {
        case .negate: for i in 0..<n { out[i] = -x[i] }
        case .exp: for i in 0..<n { out[i] = S.exp(x[i]) }
        case .log: for i in 0..<n { out[i] = S.log(x[i]) }
        case .tanh: S.kernelTanh(x, out)
        case .sigmoid:
            for i in 0..<n {
                let v = x[i]
                if v >= 0 {
                    out[i] = 1 / (1 + S.exp(-v))
                } else {
                    let e = S.exp(v)
                    out[i] = e / (1 + e)
                }
            }
        case .relu: for i in 0..<n { out[i] = x[i] > 0 ? x[i] : 0 }
        case .softplus:
            // softplus(x) = max(x, 0) + log(1 + exp(-|x|)): no overflow for large |x|.
            for i in 0..<n { out[i] = max(x[i], 0) + S.log(onePlus: S.exp(-Swift.abs(x[i]))) }
        case .squareRoot: for i in 0..<n { out[i] = S.vectorizableSquareRoot(x[i]) }
        case .absoluteValue: for i in 0..<n { out[i] = Swift.abs(x[i]) }
        case .square: for i in 0..<n { out[i] = x[i] * x[i] }
        case .power(let exponent):
            // Integral exponents use repeated multiplication, which (unlike exp(e log x))
            // is defined for negative bases, as in NumPy.
            if exponent == exponent.rounded(), Swift.abs(exponent) < 1_048_576 {
                let k = Int(exponent)
                for i in 0..<n { out[i] = S.pow(x[i], k) }
            } else {
                let e = S(exponent)
                for i in 0..<n { out[i] = S.pow(x[i], e) }
            }
        case .clamp(let lower, let upper):
            let lo = S(lower)
            let hi = S(upper)
            for i in 0..<n { out[i] = min(max(x[i], lo), hi) }
        case .scale(let factor):
            let f = S(factor)
            for i in 0..<n { out[i] = x[i] * f }
        case .shift(let offset):
            let c = S(offset)
            for i in 0..<n { out[i] = x[i] + c }
        case .sign: for i in 0..<n { out[i] = x[i] > 0 ? 1 : (x[i] < 0 ? -1 : 0) }
        case .insideIndicator(let lower, let upper):
            let lo = S(lower)
            let hi = S(upper)
            for i in 0..<n { out[i] = (x[i] > lo && x[i] < hi) ? 1 : 0 }
        }
    }

    /// The sum of squares of all elements.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func sumOfSquares<S: TensorScalar>(_ x: UnsafeBufferPointer<S>) -> S {
        var total: S = 0
        for v in x { total += v * v }
        return total
    }

    /// The sum of all elements.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func sum<S: TensorScalar>(_ x: UnsafeBufferPointer<S>) -> S {
        var total: S = 0
        for v in x { total += v }
        return total
    }

    /// `y[i] += x[i]`.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func addInPlace<S: TensorScalar>(_ x: UnsafeBufferPointer<S>, into y: UnsafeMutableBufferPointer<S>) {
        for i in 0..<x.count { y[i] += x[i] }
    }

    /// `y[i] *= factor`.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func scaleInPlace<S: TensorScalar>(_ y: UnsafeMutableBufferPointer<S>, by factor: S) {
        for i in 0..<y.count { y[i] *= factor }
    }
}
