import Artifacts
import Foundation
import Market
import Support

extension DailyJob {
    /// The previous weights as the plan gives them. With `allowFirstRun` a missing previous
    /// file is a first run (no previous weights: the job starts from cash) only while the
    /// history folder holds no day before `asOf`; with an earlier day there, the file was
    /// lost, and the refusal (66) names it and the day to restore it from.
    /// - Returns: the file (nil without `--previous` or on a first run), and whether this is
    ///   a first run.
    static func previousWeights(_ plan: Plan) throws -> (file: WeightsFile?, firstRun: Bool) {
        guard let path = plan.previous else { return (nil, false) }
        do {
            return (try WeightsFile.read(path), false)
        } catch {
            guard error.isMissing, plan.allowFirstRun, let history = plan.history else { throw error }
            if let newest = try earlierDays(in: history, before: plan.asOf).last {
                throw Problem(
                    description:
                        "\(path): file not found, and \(history) holds earlier days (newest \(newest)): the previous weights are lost, this is not a first run; restore them (cp \(history)/\(newest) \(path)) and rerun",
                    exitStatus: ExitStatus.missingInput)
            }
            return (nil, true)
        }
    }

    /// The names of the history files dated before `asOf` (`DATE.json`), oldest first; none
    /// when the folder does not exist. Other names in the folder are not days of the job.
    /// - Throws: `Problem` (usage, 64) when the path is a file; (66) when the folder cannot
    ///   be listed, since an unreadable history cannot tell a first run from a lost file.
    static func earlierDays(in history: String, before asOf: Timestamp) throws(Problem) -> [String] {
        try checkHistoryFolder(history)
        guard InputFile.exists(history) else { return [] }
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: history) } catch {
            throw Problem(
                description:
                    "--history \(history) cannot be listed (permissions?), so a first run cannot be told from a lost previous file",
                exitStatus: ExitStatus.missingInput)
        }
        let days = names.compactMap { name -> (Timestamp, String)? in
            guard name.hasSuffix(".json"), let date = Timestamp(parsing: String(name.dropLast(5))), date < asOf else {
                return nil
            }
            return (date, name)
        }
        return days.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// The line a first run logs to standard error (with the run's summary line).
    package static func firstRunNote(_ plan: Plan) -> String {
        "regimen-infer: first run: no previous weights (\(plan.previous ?? "--previous") not found and \(plan.history ?? "--history") holds no day before \(plan.asOf)); starting from cash\n"
    }
}
