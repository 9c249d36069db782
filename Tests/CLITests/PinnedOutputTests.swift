import Foundation
import Support
import TestSupport
import Testing

/// The contract's outputs, pinned byte for byte: every row of `Fixtures/pinned/outputs.tsv`
/// runs an executable on the synthetic default and compares the SHA-256 of one output file
/// with the recorded one. A refactoring that changes no behaviour leaves every hash as it is;
/// an intended change of an output updates its row (the failure prints the new hash).
///
/// OpenBLAS picks its kernels by CPU; the runs pin them (`OPENBLAS_CORETYPE=Haswell`) so that
/// Float32 training rounds alike on every x86-64 machine with AVX2.
@Suite("pinned outputs", .serialized)
struct PinnedOutputTests {
    struct Row: CustomStringConvertible {
        let name, sha256, output, executable: String
        let arguments: [String]
        var description: String { name }
    }

    static let folder = Fixtures.url("pinned")
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..")
        .standardized

    static func rows() throws -> [Row] {
        let text = try String(contentsOf: folder.appendingPathComponent("outputs.tsv"), encoding: .utf8)
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line in
            let fields = line.split(separator: "\t").map(String.init)
            return Row(
                name: fields[0], sha256: fields[1], output: fields[2], executable: fields[3],
                arguments: fields[4].split(separator: " ").map(String.init))
        }
    }

    @Test("every pinned command writes the recorded bytes")
    func pinnedOutputs() throws {
        let directory = try Fixtures.temporaryDirectory()
        var mismatches: [String] = []
        for row in try Self.rows() {
            let arguments = row.arguments.map {
                $0.replacingOccurrences(of: "{data}", with: Self.repository.appendingPathComponent("data/synthetic").path)
                    .replacingOccurrences(of: "{fixtures}", with: Self.folder.path)
                    .replacingOccurrences(of: "{dir}", with: directory.path)
            }
            let run = try Executables.run(row.executable, arguments, environment: ["OPENBLAS_CORETYPE": "Haswell"])
            try #require(run.status == 0, "\(row.name): exit \(run.status): \(run.standardError)")
            let bytes = try Data(contentsOf: directory.appendingPathComponent(row.output))
            let hash = SHA256.hex(SHA256.digest([UInt8](bytes)))
            if hash != row.sha256 { mismatches.append("\(row.name)\t\(hash)") }
        }
        #expect(mismatches.isEmpty, "outputs that changed (name, new hash):\n\(mismatches.joined(separator: "\n"))")
    }
}
