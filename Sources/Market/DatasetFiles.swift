import Foundation
import Support

/// The text files of a dataset directory, built in memory and written atomically, file by
/// file (used by `data synth` and `data import`).
package struct DatasetFiles: Sendable, Equatable {
    /// File name to contents (`prices.csv`, `funding.csv`, ...).
    package var files: [String: String] = [:]

    package init() {}

    /// A wide CSV `date,NAME...` from rows; nil cells are written empty.
    package static func wideCSV(dates: [Timestamp], names: [String], rows: [[String?]]) -> String {
        var text = "date," + names.joined(separator: ",") + "\n"
        for (date, row) in zip(dates, rows) {
            text += date.description + "," + row.map { $0 ?? "" }.joined(separator: ",") + "\n"
        }
        return text
    }

    /// `value` with `significant` significant digits, in C's `%g` form (deterministic, and
    /// parsed back exactly by the loader).
    package static func number(_ value: Double, significant: Int = 10) -> String {
        String(format: "%.\(significant)g", value)
    }

    /// Writes every file into `directory` (created if needed), each through a temporary file
    /// and a rename, so no file is ever half-written.
    package func write(to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for (name, text) in files.sorted(by: { $0.key < $1.key }) {
            try AtomicFile.write(Data(text.utf8), to: directory.appendingPathComponent(name))
        }
    }
}
