import ArgumentParser
import LinearAlgebra
import Support
import TensorModule

/// `regimen-bench gemm`: the tensor module's matmul against raw `cblas_?gemm` on the same
/// n x n operands, alternating repeats so both see the same machine load.
struct GemmWorkload: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gemm", abstract: "GFLOP/s of Tensor.matmul and of raw cblas_?gemm (n x n).")

    enum DType: String, ExpressibleByArgument, CaseIterable { case f32, f64 }

    @Option(help: "Matrix size n.")
    var n: Int = 512

    @Option(help: "Element type: \(DType.allCases.map(\.rawValue).joined(separator: ", ")).")
    var dtype: DType = .f32

    @Option(help: "Products per timed repeat (default: about 0.25 s of work).")
    var steps: Int?

    @OptionGroup var common: CommonOptions

    func validate() throws {
        guard n >= 1 else { throw ValidationError("--n must be at least 1, got \(n)") }
    }

    func run() {
        common.apply()
        switch dtype {
        case .f32: measure(Float.self)
        case .f64: measure(Double.self)
        }
    }

    private func measure<Scalar: TensorScalar>(_: Scalar.Type) {
        var generator = SeededGenerator(seed: 1)
        let values = { (count: Int) in (0..<count).map { _ in Scalar(generator.nextUnitInterval() - 0.5) } }
        let a = Tensor<Scalar>(shape: [n, n], scalars: values(n * n))
        let b = Tensor<Scalar>(shape: [n, n], scalars: values(n * n))
        let flops = 2 * Double(n) * Double(n) * Double(n)
        let steps = self.steps ?? max(1, Int(0.25 * 50e9 / flops))
        var output = [Scalar](repeating: 0, count: n * n)
        var tensorSamples: [Double] = []
        var blasSamples: [Double] = []
        for _ in 0..<common.repeats {
            tensorSamples +=
                Measurement.time(repeats: 1, steps: steps) {
                    for _ in 0..<steps { _ = Tensor.matmul(a, b) }
                }.secondsPerStep
            blasSamples +=
                Measurement.time(repeats: 1, steps: steps) {
                    a.withUnsafeBufferPointer { pa in
                        b.withUnsafeBufferPointer { pb in
                            output.withUnsafeMutableBufferPointer { pc in
                                for _ in 0..<steps {
                                    Scalar.gemm(
                                        .none, .none, m: n, n: n, k: n, alpha: 1, a: pa.baseAddress!, lda: n,
                                        b: pb.baseAddress!, ldb: n, beta: 0, c: pc.baseAddress!, ldc: n)
                                }
                            }
                        }
                    }
                }.secondsPerStep
        }
        let tensor = Measurement(secondsPerStep: tensorSamples)
        let blas = Measurement(secondsPerStep: blasSamples)
        var line = tensor.fields(flopsPerStep: flops)
        line["workload"] = "gemm"
        line["params"] = ["n": n, "dtype": dtype.rawValue, "steps": steps] as [String: Any]
        line["threads"] = common.threads
        line["blas_gflops"] = flops / blas.median / 1e9
        line["overhead"] = tensor.median / blas.median - 1
        printJSONLine(line)
    }
}
