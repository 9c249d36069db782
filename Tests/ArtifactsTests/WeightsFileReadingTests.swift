import Artifacts
import Foundation
import Support
import TestSupport
import Testing

/// Reading a weights file (a daily job's `--previous`, `regimen risk --weights`): a weight
/// outside the bound a real allocation can have is refused as bad data, naming the file, the
/// asset and the rule.
@Suite("Weights file reading")
struct WeightsFileReadingTests {
    /// Writes a weights file whose `SYN1` weight is `weight` (as written) and returns its path.
    static func file(weight: String) throws -> String {
        let url = try Fixtures.temporaryDirectory().appendingPathComponent("previous.json")
        let text = """
            {"schema": "regimen.weights/v1", "as_of": "2022-02-07", "source": {"kind": "model", "name": "m"},
             "weights": {"SYN1": \(weight), "CASH": 0.5}, "limits": {"binding": [], "relaxed": []}}
            """
        try Data(text.utf8).write(to: url)
        return url.path
    }

    @Test(
        "a weight beyond the bound is refused (65) naming file, asset and rule",
        arguments: ["1e308", "-1e308", "1.7976931348623157e308", "10.000001", "-10.5"])
    func refusesHugeWeight(_ weight: String) throws {
        let path = try Self.file(weight: weight)
        let error = #expect(throws: WeightsFile.ReadError.self) { try WeightsFile.read(path) }
        #expect(error?.exitStatus == 65)
        let message = error?.description ?? ""
        #expect(message.hasPrefix("\(path): weights.SYN1 is "), "\(message)")
        #expect(message.contains("a weight must be finite and within [-10, 10]"), "\(message)")
    }

    @Test("weights within the bound are read (negative control), the bound itself included", arguments: ["0.5", "10", "-10"])
    func readsBoundedWeight(_ weight: String) throws {
        let file = try WeightsFile.read(try Self.file(weight: weight))
        #expect(file.weights["SYN1"] == Double(weight))
    }
}
