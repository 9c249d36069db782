import LinearAlgebra
import RealModule

/// The element types a `Tensor` can hold: `Float` for training speed, `Double` for
/// gradient checks and risk math. One generic design serves both.
///
/// `Real` (swift-numerics) supplies `exp`, `log`, `tanh` and friends generically; `BLASScalar`
/// routes matrix products to the matching `cblas_?gemm`; `SIMDScalar` lets element-wise
/// kernels work on eight lanes at once.
package protocol TensorScalar: BLASScalar, Real, KernelDispatch, SIMDScalar {}

extension Float: TensorScalar {}
extension Double: TensorScalar {}
