import TensorModule

/// A tensor as stored in a safetensors file, with its element type.
package enum StoredTensor: Sendable, Equatable {
    /// `F32` data.
    case float32(Tensor<Float>)
    /// `F64` data.
    case float64(Tensor<Double>)

    /// Wraps a `Float` or `Double` tensor.
    package init<Scalar: TensorScalar>(_ tensor: Tensor<Scalar>) {
        if let float = tensor.detached as? Tensor<Float> {
            self = .float32(float)
        } else if let double = tensor.detached as? Tensor<Double> {
            self = .float64(double)
        } else {
            preconditionFailure("StoredTensor: unsupported scalar type \(Scalar.self)")
        }
    }

    /// The safetensors dtype name (`F32`, `F64`).
    package var dtype: String {
        switch self {
        case .float32: "F32"
        case .float64: "F64"
        }
    }

    /// Bytes per element.
    package var elementSize: Int {
        switch self {
        case .float32: 4
        case .float64: 8
        }
    }

    /// The number of values.
    package var elementCount: Int {
        switch self {
        case .float32(let tensor): tensor.scalars.count
        case .float64(let tensor): tensor.scalars.count
        }
    }

    /// The tensor's shape.
    package var shape: [Int] {
        switch self {
        case .float32(let tensor): tensor.shape
        case .float64(let tensor): tensor.shape
        }
    }

    /// The tensor when stored with exactly the element type `Scalar` (no silent conversion),
    /// else `nil`.
    package func tensor<Scalar: TensorScalar>(as _: Scalar.Type) -> Tensor<Scalar>? {
        switch self {
        case .float32(let tensor): tensor as? Tensor<Scalar>
        case .float64(let tensor): tensor as? Tensor<Scalar>
        }
    }
}
