import ArgumentParser
import CommandSupport
import Foundation
import Market
import RegimeFitting
import Regimes
import Support

extension GaussianHMM.CovarianceType: ExpressibleByArgument {}

/// `regimen regimes fit (--data DIR | --observations FILE) --states K [--covariance full|diag]
/// [--restarts R] [--seed S] --out FILE`.
struct RegimesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "regimes", abstract: "Regime models.", subcommands: [RegimesFitCommand.self, RegimesClassifyCommand.self])
}

struct RegimesFitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Fit the hidden-Markov regime labeller; print the states and write regimen.regimes/v1.",
        discussion: """
            On a dataset the observations are the market-wide features mkt_ret and dispersion; on a CSV, its numeric \
            columns (a first column named date labels the rows). States are ordered by the variance of the first \
            observation: r0 is the calmest. Labels are Viterbi; the filtered probabilities at t use data up to t only.
            """)

    @Option(help: "A dataset directory.") var data: String?
    @Option(help: "A CSV of numeric observation columns.") var observations: String?
    @Option(help: "Number of states K.") var states: Int = 3
    @Option(help: "Covariance: full or diag.") var covariance: GaussianHMM.CovarianceType = .full
    @Option(help: "Random restarts (k-means++ starts); the best log-likelihood wins.") var restarts: Int = 10
    @Option(help: "Seed of the starts.") var seed: UInt64 = 7
    @Option(help: "Names for r0, r1, ... separated by commas (e.g. calm,trend,crisis).") var names: String?
    @Option(help: "The JSON file to write.") var out: String

    func validate() throws {
        guard (data == nil) != (observations == nil) else {
            throw ValidationError("give exactly one of --data DIR and --observations FILE")
        }
        guard states >= 1 && states <= 12 else { throw ValidationError("--states must be 1 to 12; found \(states)") }
        try OptionRange.check(restarts, in: OptionRange.restarts, option: "--restarts")
        if let names, names.split(separator: ",").count != states {
            throw ValidationError("--names must give \(states) names separated by commas; found '\(names)'")
        }
    }

    func run() throws {
        try withExitStatus {
            let input: RegimeObservations
            var dataset: Dataset?
            if let data {
                dataset = try DatasetReader.load(directory: data)
                input = try RegimeObservations(dataset: dataset!)
            } else {
                input = try RegimeObservations(csv: observations!)
            }
            guard input.values.count >= 2 * states else {
                throw CommandFailure(
                    description: "\(input.values.count) observations cannot fit \(states) states", status: ExitStatus.badData)
            }
            var options = GaussianHMM.FitOptions()
            options.states = states
            options.covarianceType = covariance
            options.restarts = restarts
            options.seed = seed
            let (model, logLikelihood, _) = GaussianHMM.fit(input.values, options: options)
            let stateNames = names.map { $0.split(separator: ",").map(String.init) } ?? RegimeLabel.all(states).map(\.description)
            let file = RegimesFile(model: model, logLikelihood: logLikelihood, observations: input, stateNames: stateNames)
            try AtomicFile.write(try CanonicalJSON.encode(file), to: URL(fileURLWithPath: out))
            printNote(describe(model, input, dataset: dataset, names: stateNames))
            printNote("wrote \(out): \(input.values.count) observations, log-likelihood \(logLikelihood)")
        }
    }

    private func describe(_ model: GaussianHMM, _ input: RegimeObservations, dataset: Dataset?, names: [String]) -> String {
        let d = model.dimensions
        let k = model.states
        let path = model.viterbi(input.values).path
        var header = "state        share  duration  " + input.names.map { "mean \($0)  sd \($0)" }.joined(separator: "  ")
        if dataset != nil { header += "  avg corr" }
        var lines = [header]
        for s in 0..<k {
            let share = Double(path.filter { $0 == s }.count) / Double(path.count)
            let duration = 1 / max(1 - model.transitions[s * k + s], 1e-12)
            let columns = (0..<d).map { j in
                String(format: "%11.5f %9.5f", model.means[s * d + j], model.covariances[(s * d + j) * d + j].squareRoot())
            }
            let label = ("\(RegimeLabel(state: s)) " + names[s]).padding(toLength: 12, withPad: " ", startingAt: 0)
            var line = label + String(format: " %5.1f%%  %8.1f  ", share * 100, duration) + columns.joined(separator: "  ")
            if let dataset {
                let rows = zip(input.rows, path).filter { $0.1 == s }.map(\.0)
                line += String(format: "  %8.3f", RegimeStatistics.averageCorrelation(dataset, rows: rows) ?? .nan)
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
