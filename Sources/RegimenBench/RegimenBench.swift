import ArgumentParser
import LinearAlgebra
import Support

/// `regimen-bench`: end-to-end timings on a release build, one JSON line per measurement on
/// stdout (contract section 2). Compare with a peer measured in the same run
/// (`scripts/bench/compare.sh` for PyTorch).
@main
struct RegimenBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "regimen-bench",
        abstract: "Benchmark Regimen's workloads; prints one JSON line per measurement.",
        discussion: "Build the release binaries with `bash scripts/setup.sh`; timings are medians of the timed repeats.",
        version: "0.1.0",
        subcommands: [
            GemmWorkload.self, MLPWorkload.self, GRUWorkload.self, LoadWorkload.self, BacktestWorkload.self, HMMWorkload.self,
            InferWorkload.self, WalkForwardWorkload.self, PolicyTrainWorkload.self,
        ])
}

/// Options every workload takes.
struct CommonOptions: ParsableArguments {
    @Option(help: "OpenBLAS threads.")
    var threads: Int = 2

    @Option(help: "Timed repeats (the median is reported).")
    var repeats: Int = 5

    /// Applies the settings every workload shares (BLAS threads, allocator tuning).
    func apply() {
        BLASThreads.set(threads)
        AllocatorTuning.retainFreedMemory()
    }

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1, got \(threads)") }
        guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1, got \(repeats)") }
    }
}
