import Backtest
import Market
import Policy
import Testing
import Training

/// Sessions that share their inputs (`SharedSessionInputs`, as training's validation does for
/// every epoch and member) backtest to the same bytes as sessions that compute their own.
@Suite("Shared session inputs")
struct SharedSessionInputsTests {
    /// A sleeve-mixture ensemble with a regime model, trained briefly on the signal market.
    static func trained() throws -> (Dataset, PolicyTrainer.Outcome) {
        let (market, _) = try TrainingTests.signalMarket()
        var config = TrainingTests.smallConfig
        config.epochs = 2
        config.ensemble = 2
        config.sleeves = PolicySleeve.all
        config.startShare = 0.5
        return (market, try PolicyTrainer.train(market, config: config, name: "shared"))
    }

    /// `member`'s policy alone, sharing `shared` when given.
    static func policy(_ outcome: PolicyTrainer.Outcome, member: Int, sharing shared: SharedSessionInputs?) -> PolicyAllocator {
        var policy = PolicyAllocator(
            name: "m", members: [outcome.allocator.members[member]], normalisation: outcome.normalisation,
            regimeModel: outcome.regimeModel, spec: outcome.config.features, sleeves: outcome.config.sleeves)
        policy.sharedInputs = shared
        return policy
    }

    /// The backtest's periods and the regimes it saw, for a byte comparison.
    static func record(_ result: BacktestResult) -> ([BacktestResult.Period], [RegimeLabel?]) {
        (result.periods, result.regimes)
    }

    @Test("every member scored on shared inputs, and a range other than the stored one, give the unshared bytes")
    func sameBytes() throws {
        let (market, outcome) = try Self.trained()
        var validation = BacktestSettings()
        validation.firstReturnRow = outcome.validationRows.lowerBound + 1
        validation.lastReturnRow = outcome.validationRows.upperBound + 1
        validation.feeBasisPoints = 5
        var later = validation
        later.firstReturnRow = outcome.validationRows.upperBound + 2
        later.lastReturnRow = market.rowCount - 1
        let shared = SharedSessionInputs()
        for settings in [validation, later] {
            for member in [0, 1] {
                let alone = try Simulator.run(Self.policy(outcome, member: member, sharing: nil), on: market, settings: settings)
                let sharing = try Simulator.run(
                    Self.policy(outcome, member: member, sharing: shared), on: market, settings: settings)
                #expect(
                    Self.record(sharing) == Self.record(alone), "member \(member), returns from row \(settings.firstReturnRow!)")
            }
        }
        // Negative control: the members decide differently, so a session given the wrong
        // member's decisions would be caught.
        let first = try Simulator.run(Self.policy(outcome, member: 0, sharing: nil), on: market, settings: validation)
        let second = try Simulator.run(Self.policy(outcome, member: 1, sharing: nil), on: market, settings: validation)
        #expect(first.periods.map(\.weights) != second.periods.map(\.weights))
    }
}
