import Artifacts
import Foundation
import Market
import Support

/// The daily job's weights history (`regimen-infer --history DIR`): one `AS_OF.json` weights
/// file per decision, read back in date order.
package struct WeightsHistory: Sendable {
    /// One file of the history.
    package struct Entry: Sendable {
        /// The file's path.
        package let path: String
        /// Its decision date (`as_of`, equal to the file's name).
        package let date: Timestamp
        package let file: WeightsFile
    }

    /// Why a history cannot be monitored: a missing or empty folder (66), or a file that is
    /// not a weights file of the daily job (65, naming the file and the rule).
    package struct Failure: ReportableError {
        package let description: String
        package let exitStatus: Int32
    }

    /// The files, oldest first.
    package let entries: [Entry]

    /// Reads every `*.json` file of `folder` (hidden files, such as a temporary copy a killed
    /// run left, are skipped) as a weights file.
    /// - Throws: `Failure`: 66 for a folder that is missing, not a folder or holds no file;
    ///   65 for a file that does not read (`WeightsFile.read`'s rule), whose `as_of` differs
    ///   from its name, or that no model wrote.
    package init(folder: String) throws(Failure) {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw Failure(description: "--history \(folder): no such folder", exitStatus: ExitStatus.missingInput)
        }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            .filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.sorted()
        guard !names.isEmpty else {
            throw Failure(
                description: "--history \(folder): no weights files (AS_OF.json) in the folder",
                exitStatus: ExitStatus.missingInput)
        }
        var entries: [Entry] = []
        for name in names { entries.append(try Self.entry(URL(fileURLWithPath: folder).appendingPathComponent(name).path)) }
        self.entries = entries.sorted { $0.date < $1.date }
    }

    /// Reads one history file and checks it is the daily job's file for the date it is named
    /// after.
    static func entry(_ path: String) throws(Failure) -> Entry {
        let file: WeightsFile
        do { file = try WeightsFile.read(path) } catch {
            throw Failure(description: error.description, exitStatus: ExitStatus.badData)
        }
        let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        guard let date = Timestamp(parsing: file.asOf), name == file.asOf else {
            throw Failure(
                description:
                    "\(path): as_of '\(file.asOf)' is not the date the file is named after; a history file is AS_OF.json",
                exitStatus: ExitStatus.badData)
        }
        guard file.source.kind == "model", file.source.version.flatMap(Int.init) != nil else {
            throw Failure(
                description: "\(path): source is not a model version (kind model with a version); the history is the daily job's",
                exitStatus: ExitStatus.badData)
        }
        return Entry(path: path, date: date, file: file)
    }

    /// Each entry's dataset row, refused (65) when a file's date is not a row of `market`.
    package func rows(in market: Dataset) throws(Failure) -> [Int] {
        var rows: [Int] = []
        for entry in entries {
            guard let row = market.row(at: entry.date) else {
                throw Failure(
                    description: "\(entry.path): as_of \(entry.date) is not a date of the data's prices.csv",
                    exitStatus: ExitStatus.badData)
            }
            rows.append(row)
        }
        return rows
    }

    /// An entry's risky weights in `market`'s asset order (cash is the rest).
    /// - Throws: `Failure` (65) for a weight on an asset the data do not have.
    package static func weights(of entry: Entry, in market: Dataset) throws(Failure) -> [Double] {
        for asset in entry.file.weights.keys.sorted() where asset != market.config.cash && !market.assets.contains(asset) {
            throw Failure(
                description: "\(entry.path): weights.\(asset) names an asset the data do not have", exitStatus: ExitStatus.badData
            )
        }
        return market.assets.map { entry.file.weights[$0] ?? 0 }
    }
}
