import Foundation
import Testing

/// Production parity by construction: the daily job and every backtest decide through
/// `DecisionStep.execute`, and nothing else reaches the limit enforcement or the overlay's
/// caps. Read from the sources, so a caller that bypasses the step fails here.
@Suite("one decision step")
struct DecisionPathTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Sources")
        .standardized

    /// The calls that make a decision; only the decision step may make them.
    static let decisionCalls = ["LimitEnforcer.apply(", "HardConstraints.forDecision(", ".overlayCaps(regime:"]

    /// Every Swift file under Sources (path relative to it) whose text contains `needle`.
    static func files(containing needle: String) throws -> Set<String> {
        let enumerator = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
        var found: Set<String> = []
        for case let url as URL in enumerator where url.pathExtension == "swift" {
            if try String(contentsOf: url, encoding: .utf8).contains(needle) {
                found.insert(String(url.standardized.path.dropFirst(sources.path.count + 1)))
            }
        }
        return found
    }

    @Test("only the decision step enforces limits or sets the overlay's caps", arguments: decisionCalls)
    func onlyTheStepDecides(call: String) throws {
        // The scan finds the step itself (negative control: an empty scan would pass vacuously).
        #expect(try Self.files(containing: call) == ["Portfolio/DecisionStep.swift"])
    }

    @Test("the simulator and the daily job both decide through the step")
    func bothCallersUseTheStep() throws {
        let callers = try Self.files(containing: "step.execute(")
        #expect(callers.contains("Backtest/SimulationRun.swift"))
        #expect(callers.contains("Inference/DailyInference.swift"))
    }
}
