import Foundation
import Support

extension WeightsFile {
    /// Why a weights file cannot be used: missing (66) or not a valid weights file (65).
    package struct ReadError: ReportableError {
        package let description: String
        package let isMissing: Bool

        package var exitStatus: Int32 { isMissing ? ExitStatus.missingInput : ExitStatus.badData }
    }

    /// Reads and checks a weights file: its schema, `as_of` and finite weights.
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
        for (asset, weight) in file.weights where !weight.isFinite {
            throw ReadError(description: "\(path): weight of \(asset) is not finite", isMissing: false)
        }
        return file
    }
}
