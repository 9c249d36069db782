import ArgumentParser
import CommandSupport
import Foundation
import ModelStore
import Monitoring
import Support

/// `regimen monitor --models DIR --model NAME@ALIAS --data DIR --history DIR [--window N]
/// [--limits FILE] [--fail-on-alert] --out DIR` (contract section 12).
struct MonitorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "monitor", abstract: "Watch the live model: returns, parity, feature drift, regimes and limits.",
        discussion:
            "Reads the daily job's --history folder and writes OUT/monitor.json (regimen.monitor/v1) and OUT/monitor.html. Exit: 0 written; 10 written with alerts (--fail-on-alert); 64 usage; 65 bad data, history file or limits; 66 missing history, data or model. Definitions: docs/monitor.md."
    )

    @Option(help: "The model registry.") var models: String = "models"
    @Option(help: "NAME@ALIAS or NAME:VERSION: whose features and training range drift is measured against.") var model: String
    @Option(help: "The dataset directory (today's data).") var data: String
    @Option(help: "The daily job's --history folder (AS_OF.json weights files).") var history: String
    @Option(help: "Data rows in the drift, regime and limits window.") var window: Int = 30
    @Option(help: "The daily job's limits file (parity replays each date under it).") var limits: String?
    @Flag(name: .customLong("fail-on-alert"), help: "Exit 10 (after writing both files) when there is an alert.")
    var failOnAlert = false
    @Option(help: "The folder to write monitor.json and monitor.html into (made when missing).") var out: String

    func validate() throws {
        guard ModelRegistry.Reference(parsing: model) != nil else {
            throw ValidationError("--model must be NAME:VERSION or NAME@ALIAS; found '\(model)'")
        }
        try OptionRange.check(window, in: OptionRange.window, option: "--window")
    }

    func run() throws {
        var alerts = 0
        try withExitStatus {
            var plan = MonitorJob.Plan(
                models: models, model: ModelRegistry.Reference(parsing: model)!, data: data, history: history, out: out)
            (plan.window, plan.limits) = (window, limits)
            let report = try MonitorJob.run(plan)
            alerts = report.alerts.count
            printNote(
                "wrote \(out)/monitor.json and monitor.html: \(report.history.count) history files, parity \(report.parity.maxAbsDifference), \(alerts) alert(s)"
            )
        }
        if failOnAlert && alerts > 0 { throw ExitCode(MonitorJob.alertStatus) }
    }
}
