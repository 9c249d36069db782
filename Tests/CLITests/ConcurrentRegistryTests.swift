import Foundation
import TestSupport
import Testing

/// Several `train` and `promote` runs at once on one registry, as two schedulers might start
/// them: every training gets its own version, every promotion lands, nothing collides.
@Suite("concurrent trainings and promotions")
struct ConcurrentRegistryTests {
    @Test("concurrent runs yield distinct versions and intact aliases")
    func concurrent() async throws {
        let world = try HostileWorld.make()
        let train = { (seed: Int) in
            [
                "train", "--data", world.data.path, "--config", world.config.path, "--models", world.models.path, "--quiet",
                "--seed", String(seed),
            ]
        }
        // Two pairs of identical trainings (they share a checkpoint) and four promotions.
        var jobs: [[String]] = [train(1), train(1), train(2), train(2)]
        jobs += (0..<4).map { ["models", "promote", "tiny", "1", "--alias", "alias\($0)", "--models", world.models.path] }
        let runs = try await withThrowingTaskGroup(of: Executables.Run.self) { group in
            for arguments in jobs { group.addTask { try Executables.run("regimen", arguments, timeout: 120) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(runs.allSatisfy { $0.status == 0 }, "\(runs.map(\.standardError))")
        let published = runs.compactMap { $0.standardOutput.split(separator: "\n").last.map(String.init) }
            .filter { $0.hasPrefix("tiny:") }
        #expect(published.sorted() == ["tiny:2", "tiny:3", "tiny:4", "tiny:5"])
        let aliases = try JSONDecoder().decode(
            [String: Int].self, from: Data(contentsOf: world.models.appendingPathComponent("tiny/aliases.json")))
        #expect(aliases == ["champion": 1, "alias0": 1, "alias1": 1, "alias2": 1, "alias3": 1])
        for version in 1...5 {
            let show = try Executables.run("regimen", ["models", "show", "tiny:\(version)", "--models", world.models.path])
            #expect(show.status == 0, "\(show.standardError)")
        }
    }
}
