import Foundation

/// Timing of repeated blocks of work, reported as the contract's JSON line.
struct Measurement {
    /// Seconds per step of each timed block.
    let secondsPerStep: [Double]

    /// Runs `block` (which performs `steps` steps) once to warm up, then `repeats` times timed.
    static func time(repeats: Int, steps: Int, _ block: () -> Void) -> Measurement {
        block()
        let clock = ContinuousClock()
        let samples = (0..<repeats).map { _ in
            let elapsed = clock.measure(block)
            return (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18) / Double(steps)
        }
        return Measurement(secondsPerStep: samples)
    }

    /// The median seconds per step.
    var median: Double {
        let sorted = secondsPerStep.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// The contract's fields for this measurement; `flopsPerStep` adds `gflops`.
    func fields(flopsPerStep: Double?) -> [String: Any] {
        var fields: [String: Any] = [
            "seconds": median,
            "seconds_min": secondsPerStep.min()!,
            "seconds_max": secondsPerStep.max()!,
            "repeats": secondsPerStep.count,
            "per_second": 1 / median,
        ]
        if let flopsPerStep { fields["gflops"] = flopsPerStep / median / 1e9 }
        return fields
    }
}

/// Prints one JSON object on a line (sorted keys, so lines diff cleanly).
func printJSONLine(_ object: [String: Any]) {
    // Cannot throw: the benchmarks pass only strings, integers and finite doubles.
    let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
}
