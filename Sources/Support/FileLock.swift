import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An exclusive advisory lock (`flock`) on a lock file, held for the duration of a body:
/// processes that take the same lock run their bodies one after another. The lock file is
/// created if needed and never removed (removing it would let two holders lock different
/// files of the same name).
package enum FileLock {
    /// Why the lock could not be taken.
    package struct Failure: ReportableError {
        package let description: String
        package var exitStatus: Int32 { ExitStatus.badData }
    }

    /// Runs `body` while holding the lock on `file`, waiting for other holders.
    package static func withExclusive<R>(_ file: URL, _ body: () throws -> R) throws -> R {
        let descriptor = open(file.path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw Failure(description: "\(file.path): cannot open the lock file: \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else {
                throw Failure(description: "\(file.path): cannot lock: \(String(cString: strerror(errno)))")
            }
        }
        defer { flock(descriptor, LOCK_UN) }
        return try body()
    }
}
