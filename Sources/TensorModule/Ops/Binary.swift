/// Elementwise arithmetic with NumPy broadcasting. Each backward ends with
/// `summed(toShape:)`, which undoes the broadcast.
extension Tensor {
    private static func broadcasting(
        _ op: BinaryOperator, _ name: String, _ lhs: Tensor, _ rhs: Tensor,
        backward: @escaping GraphNode<Scalar>.BackwardRule
    ) -> Tensor {
        let outShape = ShapeRules.broadcast(lhs.shape, rhs.shape, op: name)
        let scalars = [Scalar].uninitialized(count: outShape.elementCount) { out in
            lhs.withUnsafeBufferPointer { l in
                rhs.withUnsafeBufferPointer { r in
                    Kernels.binary(op, l, lhs.shape, r, rhs.shape, out, outShape)
                }
            }
        }
        return result(name, shape: outShape, scalars: scalars, inputs: [lhs, rhs], backward: backward)
    }

    /// `lhs + rhs`; d/dlhs = 1, d/drhs = 1.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    package static func + (lhs: Tensor, rhs: Tensor) -> Tensor {
        let (lhsShape, rhsShape) = (lhs.shape, rhs.shape)
        return broadcasting(.add, "add", lhs, rhs) { upstream in
            [upstream.summed(toShape: lhsShape), upstream.summed(toShape: rhsShape)]
        }
    }

    /// `lhs - rhs`; d/dlhs = 1, d/drhs = -1.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    package static func - (lhs: Tensor, rhs: Tensor) -> Tensor {
        let (lhsShape, rhsShape) = (lhs.shape, rhs.shape)
        return broadcasting(.subtract, "sub", lhs, rhs) { upstream in
            [upstream.summed(toShape: lhsShape), (-upstream).summed(toShape: rhsShape)]
        }
    }

    /// `lhs * rhs` elementwise; d/dlhs = rhs, d/drhs = lhs.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    package static func * (lhs: Tensor, rhs: Tensor) -> Tensor {
        let (l, r) = (lhs.detached, rhs.detached)
        let (lhsNeeds, rhsNeeds) = (lhs.requiresGradient, rhs.requiresGradient)
        return broadcasting(.multiply, "mul", lhs, rhs) { upstream in
            [
                lhsNeeds ? (upstream * r).summed(toShape: l.shape) : nil,
                rhsNeeds ? (upstream * l).summed(toShape: r.shape) : nil,
            ]
        }
    }

    /// `lhs / rhs` elementwise; d/dlhs = 1/rhs, d/drhs = -lhs/rhs^2.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    package static func / (lhs: Tensor, rhs: Tensor) -> Tensor {
        let (l, r) = (lhs.detached, rhs.detached)
        let (lhsNeeds, rhsNeeds) = (lhs.requiresGradient, rhs.requiresGradient)
        return broadcasting(.divide, "div", lhs, rhs) { upstream in
            [
                lhsNeeds ? (upstream / r).summed(toShape: l.shape) : nil,
                rhsNeeds ? (-(upstream * l) / (r * r)).summed(toShape: r.shape) : nil,
            ]
        }
    }

    /// `tensor + scalar`.
    @_specialize(where Scalar == Float)
    package static func + (lhs: Tensor, rhs: Scalar) -> Tensor { lhs + Tensor(rhs) }
    /// `tensor - scalar`.
    @_specialize(where Scalar == Float)
    package static func - (lhs: Tensor, rhs: Scalar) -> Tensor { lhs - Tensor(rhs) }
    /// `scalar - tensor`.
    @_specialize(where Scalar == Float)
    package static func - (lhs: Scalar, rhs: Tensor) -> Tensor { Tensor(lhs) - rhs }
    /// `tensor * scalar`.
    @_specialize(where Scalar == Float)
    package static func * (lhs: Tensor, rhs: Scalar) -> Tensor { lhs * Tensor(rhs) }
    /// `scalar * tensor`.
    @_specialize(where Scalar == Float)
    package static func * (lhs: Scalar, rhs: Tensor) -> Tensor { Tensor(lhs) * rhs }
    /// `tensor / scalar`.
    @_specialize(where Scalar == Float)
    package static func / (lhs: Tensor, rhs: Scalar) -> Tensor { lhs / Tensor(rhs) }

    /// Sum of two tensors of the same shape with no graph (gradient accumulation).
    func adding(_ other: Tensor) -> Tensor {
        precondition(shape == other.shape, "accumulate: gradient shapes \(shape) and \(other.shape) differ")
        var sum = detached
        sum.withUnsafeMutableScalars { out in
            other.withUnsafeBufferPointer { Kernels.addInPlace($0, into: out) }
        }
        return sum
    }

    /// Multiplies every element by `factor` in place (no graph).
    mutating func scaleInPlace(by factor: Scalar) {
        withUnsafeMutableScalars { Kernels.scaleInPlace($0, by: factor) }
    }
}
