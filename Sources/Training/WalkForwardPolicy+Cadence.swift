import Policy
import Portfolio

extension WalkForwardPolicy: PeriodicAllocator {
    /// The most offsets a stitched schedule is averaged over.
    package static let mostScheduleOffsets = 360

    /// The cycle of the stitched path: the least common multiple of its folds' cycles (each
    /// fold may have chosen its own `rebalance`), so that every fold meets each of its own
    /// offsets equally often; when that exceeds `mostScheduleOffsets`, the longest fold
    /// cycle (each fold's offsets are then met nearly, not exactly, equally often).
    package var scheduleCycle: Int {
        let cycles = folds.map(\.model.scheduleCycle)
        let common = cycles.reduce(1) { multiple, cycle in
            guard multiple <= Self.mostScheduleOffsets else { return multiple }
            return multiple / greatestCommonDivisor(multiple, cycle) * cycle
        }
        return common <= Self.mostScheduleOffsets ? common : cycles.max() ?? 1
    }

    /// The stitched path with every fold's model trading on day `offset` of its own cycle
    /// (`offset` modulo that cycle).
    package func atScheduleOffset(_ offset: Int) -> WalkForwardPolicy {
        WalkForwardPolicy(
            recipe: identity.name,
            folds: folds.map { Fold(returnRows: $0.returnRows, model: $0.model.atScheduleOffset(offset)) })
    }
}

/// Euclid's algorithm on positive whole numbers.
private func greatestCommonDivisor(_ a: Int, _ b: Int) -> Int {
    b == 0 ? a : greatestCommonDivisor(b, a % b)
}
