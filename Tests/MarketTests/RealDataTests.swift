import Foundation
import Market
import TestSupport
import Testing

/// The real daily crypto data of `../shared/data/crypto-daily` (development only; the
/// project cannot ship it). Skipped with a message when it is absent.
@Suite("Real data")
struct RealDataTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../shared/data/crypto-daily").standardized.path
    static let present = FileManager.default.fileExists(atPath: directory + "/prices.csv")

    @Test(
        "crypto-daily loads and validates: 18 assets, 365 periods a year, BTC and ETH funding",
        .enabled(if: present, "../shared/data/crypto-daily is absent (it is not shipped with the project)"))
    func loads() throws {
        let dataset = try DatasetReader.load(directory: Self.directory)
        #expect(dataset.assets.count == 18)
        #expect(dataset.dates.first?.description == "2014-09-17")
        #expect(dataset.dates.last?.description == "2022-12-31")
        #expect(dataset.periodsPerYear == 365)
        #expect(dataset.funding.map(\.asset) == ["BTC", "ETH"])
        #expect(dataset.kind(of: "BTC") == .perp && dataset.kind(of: "SOL") == .spot)
        #expect(dataset.exogenous.contains { $0.name == "BTC_DVOL" })
    }
}
