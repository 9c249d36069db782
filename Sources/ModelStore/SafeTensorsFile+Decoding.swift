import Foundation
import TensorModule

extension SafeTensorsFile {
    /// Parses safetensors bytes, checking every rule of the format: header bounds, JSON
    /// form, supported dtypes (`F32`, `F64`), and offsets that match each shape and tile the
    /// data buffer exactly.
    /// - Parameter source: the file name used in error messages.
    /// - Throws: `SafeTensorsError`.
    package init(decoding data: Data, source: String) throws(SafeTensorsError) {
        func fail(_ rule: SafeTensorsError.Rule) -> SafeTensorsError { SafeTensorsError(source: source, rule: rule) }
        let bytes = [UInt8](data)
        guard bytes.count >= 8 else { throw fail(.truncatedHeader) }
        let headerLength = bytes[0..<8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard headerLength <= UInt64(bytes.count - 8) else { throw fail(.truncatedHeader) }
        let dataStart = 8 + Int(headerLength)
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: Data(bytes[8..<dataStart]))
        } catch {
            throw fail(.malformedHeader("not valid JSON"))
        }
        guard let header = json as? [String: Any] else { throw fail(.malformedHeader("not a JSON object")) }
        var metadata: [String: String] = [:]
        var spans: [(name: String, begin: Int, end: Int)] = []
        var tensors: [String: StoredTensor] = [:]
        let buffer = bytes[dataStart...]
        for (name, value) in header {
            if name == "__metadata__" {
                guard let map = value as? [String: String] else {
                    throw fail(.malformedHeader("__metadata__ is not a string map"))
                }
                metadata = map
                continue
            }
            guard let entry = value as? [String: Any], let dtype = entry["dtype"] as? String,
                let shape = entry["shape"] as? [Int], let offsets = entry["data_offsets"] as? [Int], offsets.count == 2
            else { throw fail(.malformedHeader("entry '\(name)' needs dtype, shape and two data_offsets")) }
            let width: Int
            switch dtype {
            case "F32": width = 4
            case "F64": width = 8
            default: throw fail(.unsupportedDType(tensor: name, dtype: dtype))
            }
            let (begin, end) = (offsets[0], offsets[1])
            // Sizes from the header are checked with overflow-reporting arithmetic before
            // anything is allocated: a tampered shape must not trap or ask for exabytes.
            guard let elements = Self.elementCount(shape),
                case let (size, false) = elements.multipliedReportingOverflow(by: width),
                begin >= 0, end >= begin, end <= buffer.count, end - begin == size
            else { throw fail(.badOffsets(tensor: name)) }
            spans.append((name, begin, end))
            let base = dataStart + begin
            if width == 4 {
                let values = (0..<shape.elementCount).map { i in Float(bitPattern: littleEndian32(bytes, base + 4 * i)) }
                tensors[name] = .float32(Tensor(shape: shape, scalars: values))
            } else {
                let values = (0..<shape.elementCount).map { i in Double(bitPattern: littleEndian64(bytes, base + 8 * i)) }
                tensors[name] = .float64(Tensor(shape: shape, scalars: values))
            }
        }
        // The format requires the tensors to tile the data buffer: no gaps, no overlaps.
        var next = 0
        for span in spans.sorted(by: { ($0.begin, $0.end) < ($1.begin, $1.end) }) {
            guard span.begin == next else { throw fail(.badOffsets(tensor: span.name)) }
            next = span.end
        }
        guard next == buffer.count else {
            throw fail(.malformedHeader("the data buffer has \(buffer.count - next) bytes no tensor accounts for"))
        }
        self.init(tensors: tensors, metadata: metadata)
    }
}

extension SafeTensorsFile {
    /// The number of elements of `shape`, or nil when a dimension is negative or the product
    /// overflows.
    static func elementCount(_ shape: [Int]) -> Int? {
        var count = 1
        for dimension in shape {
            guard dimension >= 0, case let (product, false) = count.multipliedReportingOverflow(by: dimension) else { return nil }
            count = product
        }
        return count
    }
}

private func littleEndian32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
    (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[at + $1]) << (8 * UInt32($1)) }
}

private func littleEndian64(_ bytes: [UInt8], _ at: Int) -> UInt64 {
    (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[at + $1]) << (8 * UInt64($1)) }
}
