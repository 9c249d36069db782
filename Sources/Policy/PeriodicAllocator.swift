import Portfolio

/// An allocator that trades on a calendar cycle: every `scheduleCycle` days, on one day of
/// the cycle (its offset). Which day is an accident of the calendar, and one offset can be
/// lucky, so an evaluation reports such a schedule as the mean over every offset of the
/// cycle (`OffsetAveraging` in Evaluation), as the nested selection scores it.
package protocol PeriodicAllocator: Allocator {
    /// Days in the cycle; 1 when it trades every period (nothing to average).
    var scheduleCycle: Int { get }
    /// The same allocator trading on day `offset` of the cycle (0 <= offset < scheduleCycle).
    func atScheduleOffset(_ offset: Int) -> Self
}

extension PolicyAllocator: PeriodicAllocator {
    /// The design's `rebalance` (1 for a free or sleeve policy, which trades every period).
    package var scheduleCycle: Int { budget?.rebalance ?? 1 }

    /// The same policy, every member's `rebalance_offset` set to `offset` modulo the cycle.
    package func atScheduleOffset(_ offset: Int) -> PolicyAllocator {
        guard let budget, budget.rebalance > 1 else { return self }
        let shifted = members.map { member in
            var copy = member
            copy.budget?.rebalanceOffset = offset % budget.rebalance
            return copy
        }
        var policy = PolicyAllocator(
            name: identity.name, version: identity.version, members: shifted, normalisation: normalisation,
            regimeModel: regimeModel, spec: spec, sleeves: sleeves)
        policy.overlay = overlay
        return policy
    }
}
