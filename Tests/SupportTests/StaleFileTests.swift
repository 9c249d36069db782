import Foundation
import Support
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// What killed writers and trainings leave behind is cleaned up by the next run; what a live
/// process holds is never touched.
@Suite("Stale temporary and lock files")
struct StaleFileTests {
    /// A fresh empty folder.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("regimen-stale-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The id of a process that has exited.
    static func deadProcessID() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }

    @Test("a write removes the temporary files of dead writers beside it and keeps a live one's")
    func staleTemporaries() throws {
        let folder = try Self.temporaryDirectory()
        let target = folder.appendingPathComponent("weights.json")
        let dead = folder.appendingPathComponent(".weights.json.tmp-\(try Self.deadProcessID())-abcdef12")
        let live = folder.appendingPathComponent(".weights.json.tmp-\(getpid())-abcdef12")
        let other = folder.appendingPathComponent(".other.json.tmp-\(try Self.deadProcessID())-abcdef12")
        for file in [dead, live, other] { try Data("partial".utf8).write(to: file) }
        try AtomicFile.write(Data("{}".utf8), to: target)
        #expect(!FileManager.default.fileExists(atPath: dead.path))
        #expect(FileManager.default.fileExists(atPath: live.path), "a live process's write must not be removed")
        #expect(FileManager.default.fileExists(atPath: other.path), "another file's temporaries are not this write's")
        #expect(try Data(contentsOf: target) == Data("{}".utf8))
    }

    @Test("a lock taken with removingAfter leaves no file; a stale lock is removed and a held one kept")
    func locks() throws {
        let folder = try Self.temporaryDirectory()
        let lock = folder.appendingPathComponent(".checkpoint-a.lock")
        try FileLock.withExclusive(lock, removingAfter: true) {
            #expect(FileManager.default.fileExists(atPath: lock.path))
        }
        #expect(!FileManager.default.fileExists(atPath: lock.path))
        let stale = folder.appendingPathComponent(".checkpoint-b.lock")
        try Data().write(to: stale)
        let held = folder.appendingPathComponent(".checkpoint-c.lock")
        try FileLock.withExclusive(held) {
            // flock locks belong to the open file description: a second open of the same file
            // in this process cannot take it, as another process could not.
            FileLock.removeStale(in: folder, prefix: ".checkpoint-", suffix: ".lock")
            #expect(!FileManager.default.fileExists(atPath: stale.path))
            #expect(FileManager.default.fileExists(atPath: held.path), "a held lock must not be removed")
        }
    }

    @Test("holders of a lock that is removed after each use still run one at a time")
    func mutualExclusion() throws {
        let folder = try Self.temporaryDirectory()
        let lock = folder.appendingPathComponent(".checkpoint-m.lock")
        let inside = Counter()
        let results = Parallel.map(8, width: 8) { _ in
            Result {
                try FileLock.withExclusive(lock, removingAfter: true) {
                    let now = inside.add(1)
                    usleep(2_000)
                    inside.add(-1)
                    return now
                }
            }
        }
        #expect(try results.map { try $0.get() }.allSatisfy { $0 == 1 }, "two holders ran at once")
        #expect(!FileManager.default.fileExists(atPath: lock.path))
    }
}

/// A thread-safe counter.
final class Counter: @unchecked Sendable {
    private let guardLock = NSLock()
    private var value = 0

    /// Adds `delta`; returns the new value.
    @discardableResult
    func add(_ delta: Int) -> Int {
        guardLock.lock()
        defer { guardLock.unlock() }
        value += delta
        return value
    }
}
