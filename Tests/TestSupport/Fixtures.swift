import Foundation
import Market

/// Locates fixture files beside the test that uses them (`Tests/<Module>Tests/Fixtures`).
package enum Fixtures {
    /// The URL of `name` in the fixtures folder of the test target whose source file is
    /// `testFile` (pass `#filePath`).
    package static func url(_ name: String, besides testFile: String = #filePath) -> URL {
        URL(fileURLWithPath: testFile).deletingLastPathComponent().appendingPathComponent("Fixtures").appendingPathComponent(name)
    }

    /// A fresh empty temporary directory.
    package static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("regimen-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// `market`'s files written to a fresh temporary directory and read back, as a user's
    /// dataset is (validation included).
    package static func load(_ market: SyntheticMarket) throws -> Dataset {
        let directory = try temporaryDirectory()
        try market.files.write(to: directory)
        return try DatasetReader.load(directory: directory.path)
    }
}
