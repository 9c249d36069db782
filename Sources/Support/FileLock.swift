import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An exclusive advisory lock (`flock`) on a lock file, held for the duration of a body:
/// processes that take the same lock run their bodies one after another.
///
/// A lock file may be removed when its holder is done (`removingAfter`), which is safe only
/// because every taker checks, once it holds the lock, that the path still names the file it
/// locked (the same device and inode) and starts over when it does not: a taker that waited
/// on a file removed meanwhile never runs beside one that locked the new file of that name.
package enum FileLock {
    /// Why the lock could not be taken.
    package struct Failure: ReportableError {
        package let description: String
        package var exitStatus: Int32 { ExitStatus.badData }
    }

    /// Runs `body` while holding the lock on `file`, waiting for other holders.
    /// - Parameter removingAfter: remove the lock file when done (while still holding it), so
    ///   a normal exit leaves no lock file behind.
    package static func withExclusive<R>(_ file: URL, removingAfter: Bool = false, _ body: () throws -> R) throws -> R {
        let descriptor = try lock(file, blocking: true)!
        defer { close(descriptor) }
        defer {
            if removingAfter { unlink(file.path) }
            flock(descriptor, LOCK_UN)
        }
        return try body()
    }

    /// Removes the lock files in `folder` whose names start with `prefix` and end with
    /// `suffix` that nobody holds (left by processes that were killed): each is taken without
    /// waiting and removed while held; a held one is left alone.
    package static func removeStale(in folder: URL, prefix: String, suffix: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
        for name in names where name.hasPrefix(prefix) && name.hasSuffix(suffix) {
            let file = folder.appendingPathComponent(name)
            guard let descriptor = try? lock(file, blocking: false) else { continue }
            unlink(file.path)
            flock(descriptor, LOCK_UN)
            close(descriptor)
        }
    }

    /// A descriptor holding the lock on the file `file` names now; nil when `blocking` is
    /// false and another process holds it.
    private static func lock(_ file: URL, blocking: Bool) throws(Failure) -> Int32? {
        while true {
            let descriptor = open(file.path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else {
                throw Failure(description: "\(file.path): cannot open the lock file: \(String(cString: strerror(errno)))")
            }
            while flock(descriptor, blocking ? LOCK_EX : LOCK_EX | LOCK_NB) != 0 {
                guard errno == EINTR else {
                    let reason = errno
                    close(descriptor)
                    if reason == EWOULDBLOCK { return nil }
                    throw Failure(description: "\(file.path): cannot lock: \(String(cString: strerror(reason)))")
                }
            }
            if isSameFile(descriptor, file.path) { return descriptor }
            // Removed (or replaced) while we waited: lock the file the path names now.
            flock(descriptor, LOCK_UN)
            close(descriptor)
        }
    }

    /// Whether `path` still names the file open on `descriptor`.
    private static func isSameFile(_ descriptor: Int32, _ path: String) -> Bool {
        var held = stat()
        var named = stat()
        guard fstat(descriptor, &held) == 0, stat(path, &named) == 0 else { return false }
        return held.st_dev == named.st_dev && held.st_ino == named.st_ino
    }
}
