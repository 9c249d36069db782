import Features
import Foundation
import Market
import Support

/// The observations the regime labeller sees: market-wide features of a dataset (default
/// `mkt_ret`, the equal-weight index log return, then `dispersion`, the cross-sectional
/// spread of returns), or the numeric columns of a CSV. The first column's variance orders
/// the states, so it should be a return.
package struct RegimeObservations: Sendable {
    /// The feature or column names.
    package let names: [String]
    /// Row labels (dates, or 1-based line numbers for a CSV without dates).
    package let labels: [String]
    /// `[T][D]`.
    package let values: [[Double]]
    /// Dataset rows of the observations (empty for a CSV).
    package let rows: [Int]

    /// Why observations cannot be formed; `description` names the file and the rule.
    package struct Failure: ReportableError {
        package let description: String
        /// 65 for a file that breaks a rule; 66 for one that cannot be read.
        package var exitStatus = ExitStatus.badData
    }

    /// The rows of `dataset` where every named market feature is present (from `table` when
    /// the caller has computed the dataset's features already).
    package init(dataset: Dataset, features: [String] = ["mkt_ret", "dispersion"], table precomputed: FeatureTable? = nil)
        throws(Failure)
    {
        let table = precomputed ?? FeatureBuilder.compute(dataset)
        let columns = try features.map { name throws(Failure) -> Int in
            guard let index = table.marketFeatures.firstIndex(of: name) else {
                throw Failure(
                    description: "no market-wide feature '\(name)'; available: \(table.marketFeatures.joined(separator: ", "))")
            }
            return index
        }
        var rows: [Int] = []
        var values: [[Double]] = []
        for row in 0..<dataset.rowCount {
            let observation = columns.compactMap { table.marketValue(row: row, feature: $0) }
            if observation.count == columns.count {
                rows.append(row)
                values.append(observation)
            }
        }
        self.names = features
        self.rows = rows
        self.values = values
        self.labels = rows.map { dataset.dates[$0].description }
    }

    /// The numeric columns of a CSV (a first column named `date` gives the row labels).
    package init(csv path: String) throws(Failure) {
        let text: String
        do { text = try InputFile.text(path, limit: InputFile.dataLimit) } catch {
            throw Failure(description: error.description, exitStatus: error.exitStatus)
        }
        let table: CSVTable
        do { table = try CSVTable(parsing: text) } catch {
            throw Failure(description: "\(path): a quoted field is never closed")
        }
        guard let header = table.records.first, table.records.count >= 2 else {
            throw Failure(description: "\(path): needs a header and at least one row")
        }
        let hasDates = header.fields.first?.lowercased() == "date"
        let names = Array(header.fields.dropFirst(hasDates ? 1 : 0))
        guard !names.isEmpty else { throw Failure(description: "\(path): no numeric columns") }
        var labels: [String] = []
        var values: [[Double]] = []
        for record in table.records.dropFirst() {
            guard record.fields.count == header.fields.count else {
                throw Failure(
                    description:
                        "\(path):\(record.line): row has \(record.fields.count) fields; the header has \(header.fields.count)")
            }
            let cells = record.fields.dropFirst(hasDates ? 1 : 0)
            var row: [Double] = []
            for (offset, cell) in cells.enumerated() {
                guard let value = DecimalNumber.parse(cell.trimmingCharacters(in: .whitespaces)), value.isFinite else {
                    throw Failure(
                        description: "\(path):\(record.line):\(offset + (hasDates ? 2 : 1)): not a finite number: '\(cell)'")
                }
                row.append(value)
            }
            labels.append(hasDates ? record.fields[0] : String(record.line))
            values.append(row)
        }
        self.names = names
        self.labels = labels
        self.values = values
        self.rows = []
    }
}
