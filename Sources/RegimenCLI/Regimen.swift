import ArgumentParser

/// `regimen`: the researcher's tool (commands arrive with the data, risk, backtest,
/// regime and training issues; see README.md).
@main
struct Regimen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "regimen",
        abstract: "Train and evaluate regime-aware crypto allocation models.",
        discussion: "Commands of the contract (data, features, regimes, baseline, risk, backtest, train, evaluate, models) are added as they land; see README.md.",
        version: "0.1.0")
}
