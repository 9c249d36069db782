import Support

/// Why a safetensors file could not be read or loaded; `description` names the file and the
/// rule broken.
package struct SafeTensorsError: ReportableError, Equatable {
    /// The rules a safetensors file (or a load into parameters) can break.
    package enum Rule: Equatable, Sendable {
        /// Fewer than 8 bytes, or a header length past the end of the file.
        case truncatedHeader
        /// The header is not a JSON object of the expected form; the text says what.
        case malformedHeader(String)
        /// A dtype other than `F32` and `F64`.
        case unsupportedDType(tensor: String, dtype: String)
        /// Offsets that do not match the shape, overlap, leave gaps, or pass the end.
        case badOffsets(tensor: String)
        /// A parameter the file does not contain.
        case missingTensor(String)
        /// A stored tensor whose shape or dtype differs from the parameter's.
        case mismatch(tensor: String, expected: String, found: String)
    }

    /// The file (or a label for in-memory data).
    package let source: String
    /// The rule broken.
    package let rule: Rule

    /// A model file that cannot be read is a damaged input (66).
    package var exitStatus: Int32 { ExitStatus.missingInput }

    package var description: String {
        switch rule {
        case .truncatedHeader:
            "\(source): not a safetensors file: the 8-byte header length or the header is truncated"
        case .malformedHeader(let detail):
            "\(source): malformed safetensors header: \(detail)"
        case .unsupportedDType(let tensor, let dtype):
            "\(source): tensor '\(tensor)' has dtype \(dtype); supported: F32, F64"
        case .badOffsets(let tensor):
            "\(source): tensor '\(tensor)' has data offsets that do not match its shape or the data buffer"
        case .missingTensor(let tensor):
            "\(source): tensor '\(tensor)' is missing"
        case .mismatch(let tensor, let expected, let found):
            "\(source): tensor '\(tensor)' should be \(expected) but is \(found)"
        }
    }
}
