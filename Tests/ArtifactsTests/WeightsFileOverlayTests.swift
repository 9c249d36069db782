import Artifacts
import Foundation
import Options
import Testing

/// A previous run's overlay is read back only when every entry is an option the code can
/// price again: a tampered file is refused, never half-read.
@Suite("Weights file overlay")
struct WeightsFileOverlayTests {
    static func file(_ entry: String) throws -> WeightsFile {
        let text = """
            {"schema": "regimen.weights/v1", "as_of": "2022-06-01", "source": {"kind": "model", "name": "m"},
             "weights": {"BTC": 0.4, "CASH": 0.59}, "limits": {"binding": [], "relaxed": []},
             "overlay": [\(entry)]}
            """
        return try JSONDecoder().decode(WeightsFile.self, from: Data(text.utf8))
    }

    static let good =
        #"{"asset": "BTC", "type": "put", "strike": 27000, "expiry": "2022-07-01", "quantity": 0.00001, "premium": 1000, "iv": 0.6, "delta": -0.3, "gamma": 0.0001, "vega": 30, "theta": -40}"#

    @Test("a valid overlay reads back as positions")
    func reads() throws {
        let positions = try #require(try Self.file(Self.good).overlayPositions)
        #expect(positions.count == 1 && positions[0].type == .put && positions[0].strike == 27_000)
    }

    @Test(
        "a tampered entry makes the whole overlay unreadable",
        arguments: [
            Self.good.replacingOccurrences(of: "\"put\"", with: "\"straddle\""),
            Self.good.replacingOccurrences(of: "27000", with: "-1"),
            Self.good.replacingOccurrences(of: "2022-07-01", with: "next month"),
            Self.good.replacingOccurrences(of: "0.00001", with: "1e300"),
        ])
    func refuses(_ entry: String) throws {
        #expect(try Self.file(entry).overlayPositions == nil)
    }
}
