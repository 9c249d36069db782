import Foundation
import Market
import Portfolio
import Risk
import Support
import Training

/// Traps with `message` when `condition` is false, so libFuzzer reports the input as a crash:
/// the harness holds a reader's output to what the code promises, not only to not trapping.
func fuzzInvariant(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("fuzz invariant: \(message())") }
}

/// What `regimen train` relies on in a config that has no `problems`, checked with the steps
/// it runs on the config alone (`TrainingJob`, `PolicyTrainer.trainNested`).
enum TrainableConfig {
    /// The nested loop's candidates: as many as the `select:` lists combine to, 1 to 64
    /// (one without `select:`), each itself a config without problems whose every number is
    /// finite and that survives the JSON round trip (the checkpoint key and the manifest are
    /// its encoding).
    static func check(_ config: TrainingConfig) {
        let candidates = NestedSelection.candidates(config)
        let combinations = config.select.values.reduce(1) { $0 * $1.count }
        fuzzInvariant(
            (1...64).contains(candidates.count) && candidates.count == combinations,
            "\(candidates.count) candidates from select lists combining to \(combinations)")
        fuzzInvariant(
            config.ensemble * config.validationWindows <= 64, "ensemble x validation_windows above 64 passed problems")
        fuzzInvariant(roundTrips(config), "a config without problems does not survive JSON: \(config)")
        for candidate in candidates {
            fuzzInvariant(candidate.select.isEmpty, "a candidate still selects \(candidate.select)")
            fuzzInvariant(candidate.problems.isEmpty, "a candidate has problems: \(candidate.problems)")
            fuzzInvariant(roundTrips(candidate), "a candidate does not survive JSON: \(candidate)")
        }
    }

    /// Whether `config` encodes as the checkpoint key does (JSON refuses NaN and infinities)
    /// and decodes back to itself.
    private static func roundTrips(_ config: TrainingConfig) -> Bool {
        guard let json = try? CanonicalJSON.encode(config) else { return false }
        return (try? JSONDecoder().decode(TrainingConfig.self, from: json)) == config
    }
}

/// The decision the daily job makes under a limits file (`DecisionStep.execute`), on a fixed
/// small market: assets A and B with a 30-return risk window, C without one, B held through a
/// futures contract 4 days from expiry, regime r1.
enum LimitsDecision {
    /// The assets a limits file may name (`checkNames`).
    static let assets = ["A", "B", "C"]
    /// The model's regime labels.
    static let regimeLabels = RegimeLabel.all(3)
    /// The allocator's proposal: above any budget, one weight negative.
    static let proposal = [0.7, 0.5, -0.2]
    /// The weights held before the decision (C held, though it cannot be measured).
    static let held = [0.2, 0.3, 0.1]
    /// The risk window: smooth deterministic returns for A and B, none for C.
    static let risk = PortfolioRiskWindow(
        columns: [
            (0..<30).map { 0.02 * sin(Double($0)) }, (0..<30).map { 0.001 + 0.01 * cos(1.7 * Double($0)) }, nil,
        ],
        periodsPerYear: 365)

    /// Enforces `limits` on the proposal and checks what `LimitEnforcer` promises: finite
    /// weights that satisfy every hard limit and leave a non-negative cash line; then the
    /// overlay's caps in the same regime.
    static func check(_ limits: RiskLimits) {
        let regime = RegimeLabel(state: 1)
        let constraints = HardConstraints(
            limits: limits, assets: assets, regime: regime, risk: risk, daysToExpiry: [nil, 4, nil])
        let result = LimitEnforcer.apply(proposal, constraints: constraints, maxTurnover: limits.maxTurnover, previous: held)
        let weights = result.weights
        fuzzInvariant(weights.allSatisfy(\.isFinite), "non-finite weights \(weights)")
        fuzzInvariant(constraints.contains(weights), "weights \(weights) break a hard limit of \(limits)")
        fuzzInvariant(1 - weights.reduce(0, +) >= -1e-9, "weights \(weights) leave negative cash")
        _ = limits.overlayCaps(regime: regime)
    }
}
