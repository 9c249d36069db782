import Foundation
import Support
import TensorModule

/// Named tensors in the safetensors format (huggingface/safetensors), readable by Python's
/// `safetensors` and every tool that reads it.
///
/// Layout: an unsigned 64-bit little-endian header length N; N bytes of UTF-8 JSON mapping
/// each name to `{"dtype", "shape", "data_offsets": [begin, end]}` (offsets into the data
/// buffer) plus an optional `"__metadata__"` string map; then the raw little-endian data.
/// Regimen orders tensors as Python's `safetensors` does (wider dtypes first, then by name),
/// packs them back to back so every tensor is aligned to its element size, and pads the
/// header with spaces to a multiple of 8 bytes, so equal contents give equal bytes.
package struct SafeTensorsFile: Sendable, Equatable {
    /// The tensors by name.
    package var tensors: [String: StoredTensor]
    /// Free-form string metadata (`__metadata__`).
    package var metadata: [String: String]

    /// A file's contents.
    package init(tensors: [String: StoredTensor] = [:], metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    /// The file's bytes.
    package func encoded() -> Data {
        let names = tensors.keys.sorted { lhs, rhs in
            let (l, r) = (tensors[lhs]!.elementSize, tensors[rhs]!.elementSize)
            return l != r ? l > r : lhs < rhs
        }
        var entries: [String] = []
        var offset = 0
        for name in names {
            let tensor = tensors[name]!
            let size = tensor.shape.elementCount * tensor.elementSize
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            entries.append(
                "\(jsonString(name)):{\"dtype\":\"\(tensor.dtype)\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(offset + size)]}"
            )
            offset += size
        }
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(metadata[$0]!))" }
            entries.insert("\"__metadata__\":{\(pairs.joined(separator: ","))}", at: 0)
        }
        var header = Array("{\(entries.joined(separator: ","))}".utf8)
        while header.count % 8 != 0 { header.append(UInt8(ascii: " ")) }
        var data = Data()
        data.reserveCapacity(8 + header.count + offset)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: header)
        for name in names {
            switch tensors[name]! {
            case .float32(let tensor):
                for value in tensor.scalars { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
            case .float64(let tensor):
                for value in tensor.scalars { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
            }
        }
        return data
    }

    /// Writes the file atomically (temporary file, fsync, rename).
    package func write(to url: URL) throws {
        try AtomicFile.write(encoded(), to: url)
    }

    /// Reads a file from disk.
    /// - Throws: `SafeTensorsError` naming the file, or the file system's error.
    package init(contentsOf url: URL) throws {
        try self.init(decoding: try InputFile.data(url.path, limit: InputFile.dataLimit), source: url.path)
    }
}

/// A JSON string literal (quotes, backslashes and control characters escaped).
private func jsonString(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": result += "\\\""
        case "\\": result += "\\\\"
        case "\n": result += "\\n"
        case "\r": result += "\\r"
        case "\t": result += "\\t"
        case _ where scalar.value < 0x20: result += String(format: "\\u%04x", scalar.value)
        default: result.unicodeScalars.append(scalar)
        }
    }
    return result + "\""
}
