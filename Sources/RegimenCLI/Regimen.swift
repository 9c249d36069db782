import ArgumentParser
import Support

/// `regimen`: the researcher's tool. Commands are thin: parse, call a library function,
/// map failures to the contract's exit statuses (`ExitStatus.swift`).
@main
struct Regimen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "regimen",
        abstract: "Train and evaluate regime-aware crypto allocation models.",
        discussion: "Every command, its files and exit statuses: docs/contract.md; examples: README.md and docs/.",
        version: "0.1.0 (revision \(CodeRevision.ofExecutable))",
        subcommands: [
            DataCommand.self, FeaturesCommand.self, BaselineCommand.self, RiskCommand.self, BacktestCommand.self,
            EvaluateCommand.self, RegimesCommand.self, TrainCommand.self, ModelsCommand.self, OptionsCommand.self,
            SweepCommand.self, MonitorCommand.self,
        ])
}
