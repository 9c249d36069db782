import Foundation
import Support

extension WeightsFile {
    /// Why a weights file cannot be used: missing (66) or not a valid weights file (65).
    package struct ReadError: ReportableError {
        package let description: String
        package let isMissing: Bool

        package var exitStatus: Int32 { isMissing ? ExitStatus.missingInput : ExitStatus.badData }
    }

    /// The largest magnitude a weight (an asset's or the cash line's fraction of NAV) may have
    /// in a file that is read back: 10, i.e. 1000% of NAV in one line. Every allocator writes
    /// weights in [0, 1] (long-only, summing to 1 with the cash line), so the bound leaves room
    /// for hand-made levered files while refusing a tampered or corrupt one (`1e308`) before
    /// its drift, turnover or risk overflows into a non-finite decision.
    package static let largestWeight = 10.0

    /// Reads and checks a weights file: its schema and its weights, each finite and within
    /// `[-largestWeight, largestWeight]`.
    /// - Throws: `ReadError` naming the file, and for a weight the asset and the rule (65);
    ///   66 when the file is missing.
    package static func read(_ path: String) throws(ReadError) -> WeightsFile {
        let data: Data
        do { data = try InputFile.data(path, limit: InputFile.settingsLimit) } catch {
            throw ReadError(description: error.description, isMissing: error.isMissing)
        }
        let file: WeightsFile
        do {
            file = try JSONDecoder().decode(WeightsFile.self, from: data)
        } catch let DecodingError.keyNotFound(key, _) {
            throw ReadError(description: "\(path): not a weights file: missing field '\(key.stringValue)'", isMissing: false)
        } catch let DecodingError.typeMismatch(_, context) {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw ReadError(description: "\(path): not a weights file: field '\(field)' has the wrong type", isMissing: false)
        } catch {
            throw ReadError(description: "\(path): not a weights file (JSON with schema \(schemaName))", isMissing: false)
        }
        guard file.schema == schemaName else {
            throw ReadError(description: "\(path): schema is '\(file.schema)'; expected \(schemaName)", isMissing: false)
        }
        if let problem = weightProblem(file.weights) {
            throw ReadError(description: "\(path): \(problem)", isMissing: false)
        }
        return file
    }

    /// Why `weights` cannot be a file's weights, naming the first offending asset (in name
    /// order, so the message is the same on every run), or nil.
    static func weightProblem(_ weights: [String: Double]) -> String? {
        for (asset, weight) in weights.sorted(by: { $0.key < $1.key })
        where !(weight.isFinite && Swift.abs(weight) <= largestWeight) {
            let bound = Int(largestWeight)
            return "weights.\(asset) is \(weight); a weight must be finite and within [-\(bound), \(bound)] (a fraction of NAV)"
        }
        return nil
    }
}
