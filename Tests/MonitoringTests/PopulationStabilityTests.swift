import Foundation
import Monitoring
import Testing

/// The drift block's PSI against an independent NumPy computation
/// (`scripts/fixtures/make_psi_fixture.py`, committed as `Fixtures/psi.json`).
@Suite("population stability index")
struct PopulationStabilityTests {
    /// One case of the fixture.
    struct Case: Decodable {
        let name: String
        let reference: [Double]
        let recent: [Double]
        let edges: [Double]
        let expected: [Double]
        let actual: [Double]
        let psi: Double
    }

    /// The fixture's document.
    struct Document: Decodable {
        let cases: [Case]
    }

    static let cases: [Case] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/psi.json")
        return try! JSONDecoder().decode(Document.self, from: Data(contentsOf: url)).cases
    }()

    @Test("PSI, deciles and floored shares match NumPy to 1e-12", arguments: cases.map(\.name))
    func matchesNumPy(_ name: String) throws {
        let reference = try #require(Self.cases.first { $0.name == name })
        let measured = try #require(PopulationStability(reference: reference.reference, recent: reference.recent))
        #expect(Swift.abs(measured.index - reference.psi) <= 1e-12 * max(1, Swift.abs(reference.psi)), "\(measured.index)")
        for (a, b) in zip(measured.edges, reference.edges) { #expect(Swift.abs(a - b) <= 1e-12 * max(1, Swift.abs(b))) }
        #expect(measured.expected == reference.expected)
        #expect(measured.actual == reference.actual)
    }

    @Test("an empty side gives no index")
    func emptySide() {
        #expect(PopulationStability(reference: [], recent: [1]) == nil)
        #expect(PopulationStability(reference: [1], recent: []) == nil)
    }
}
