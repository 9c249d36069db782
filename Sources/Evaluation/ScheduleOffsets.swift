import Backtest
import Market
import Policy
import Portfolio

/// How an evaluation simulates an allocator whose schedule is periodic (a risk-budget policy
/// that trades every k days): once per offset of its cycle, reported as the mean path
/// (`BacktestResult.mean(of:)`), so no result rests on which calendar day happened to trade.
/// The nested selection scores candidates the same way.
enum ScheduleOffsets {
    /// The offsets an allocator is averaged over (1: it is simulated once, as it is).
    static func count(_ allocator: any Allocator) -> Int {
        (allocator as? any PeriodicAllocator)?.scheduleCycle ?? 1
    }

    /// The allocator's result under `settings`: one run of `reusing` (the allocator wrapped to
    /// reuse its sessions) when its schedule is not periodic, else the mean over its offsets.
    static func simulate(
        _ allocator: any Allocator, reusing wrapped: any Allocator, on market: Dataset, settings: BacktestSettings
    ) throws -> BacktestResult {
        guard let periodic = allocator as? any PeriodicAllocator, periodic.scheduleCycle > 1 else {
            return try Simulator.run(wrapped, on: market, settings: settings)
        }
        let runs = try (0..<periodic.scheduleCycle).map { offset in
            try Simulator.run(periodic.atScheduleOffset(offset), on: market, settings: settings)
        }
        return .mean(of: runs)
    }
}
