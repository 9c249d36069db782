import Foundation
import Support
import Testing

@Suite("Parallel.map")
struct ParallelTests {
    /// Work whose result depends on the index only, slow enough that threads overlap.
    static func work(_ index: Int) -> [Double] {
        var generator = SeededGenerator(seed: UInt64(index))
        return (0..<20_000).map { _ in generator.nextStandardNormal() }.sorted().suffix(3)
    }

    @Test("results come back in index order, each index run once, whatever the width", arguments: [1, 2, 3, 16])
    func order(width: Int) {
        let calls = CallCounter()
        let results = Parallel.map(7, width: width) { index in
            calls.record(index)
            return Self.work(index)
        }
        #expect(results == (0..<7).map(Self.work))
        #expect(calls.counts == Array(repeating: 1, count: 7))
        // Negative control: the results do depend on the index, so a shuffle would show.
        #expect(Set(results.map { $0.last! }).count == 7)
    }

    @Test("no work gives no results")
    func empty() {
        #expect(Parallel.map(0, width: 4) { $0 }.isEmpty)
    }
}

/// Counts calls per index from several threads.
private final class CallCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var values = Array(repeating: 0, count: 7)

    func record(_ index: Int) {
        lock.lock()
        values[index] += 1
        lock.unlock()
    }

    var counts: [Int] {
        lock.lock()
        defer { lock.unlock() }
        return values
    }
}
