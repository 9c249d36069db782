import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Writes files so that readers see either the old contents or the new, never a partial file.
///
/// Only regular files are ever replaced: a destination that exists as a directory, a device
/// node, a FIFO, a socket or a symbolic link is refused before anything is written (renaming
/// over `/dev/null` as root would replace the system's device; renaming over a symbolic
/// link would replace the link, not its target, which no operator means).
package enum AtomicFile {
    /// An error while writing a file atomically; names the path and what failed.
    package struct WriteError: ReportableError {
        /// The destination path.
        package let path: String
        /// What failed, in words.
        package let reason: String
        /// 65 for a destination that is refused, 66 for a missing folder, 70 otherwise.
        package let exitStatus: Int32
        package var description: String { "cannot write \(path): \(reason)" }
    }

    /// Refuses a destination that exists and is not a regular file; nothing is written.
    package static func checkDestination(_ url: URL) throws(WriteError) {
        var status = stat()
        guard lstat(url.path, &status) == 0 else {
            var folder = stat()
            let directory = url.deletingLastPathComponent().path
            guard stat(directory, &folder) == 0, folder.st_mode & S_IFMT == S_IFDIR else {
                throw WriteError(
                    path: url.path, reason: "the folder \(directory) does not exist", exitStatus: ExitStatus.missingInput)
            }
            return
        }
        let kind: String
        switch status.st_mode & S_IFMT {
        case S_IFREG: return
        case S_IFDIR: kind = "a directory"
        case S_IFLNK: kind = "a symbolic link (give the path of the file it points to)"
        case S_IFCHR, S_IFBLK: kind = "a device"
        case S_IFIFO: kind = "a FIFO"
        default: kind = "not a regular file"
        }
        throw WriteError(path: url.path, reason: "it is \(kind); only regular files are replaced", exitStatus: ExitStatus.badData)
    }

    /// Removes the temporary files a killed writer of `url` left beside it
    /// (`.NAME.tmp-PID-XXXXXXXX` of a process that no longer exists); a live process's (its
    /// write under way) are left alone. A process id reused since then keeps its file, which
    /// is safe: only files of dead writers are ever removed.
    static func removeStaleTemporaries(of url: URL) {
        let prefix = ".\(url.lastPathComponent).tmp-"
        let directory = url.deletingLastPathComponent()
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return }
        for name in names where name.hasPrefix(prefix) {
            let rest = name.dropFirst(prefix.count)
            guard let dash = rest.firstIndex(of: "-"), let pid = Int32(rest[..<dash]), pid > 0 else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { unlink(directory.appendingPathComponent(name).path) }
        }
    }

    /// Writes `data` to a new temporary file beside `url` (created exclusively, unique per
    /// process and call), flushes it to disk (fsync), renames it over `url` (atomic within one
    /// file system) and flushes the folder, so the rename survives a power cut.
    /// - Parameter beforeRename: runs once the temporary file is complete and flushed, just
    ///   before the rename (a test's crash injection lives in the caller, never here).
    /// - Throws: `WriteError` naming the path; the destination is untouched on failure.
    package static func write(_ data: Data, to url: URL, beforeRename: () -> Void = {}) throws(WriteError) {
        try checkDestination(url)
        let directory = url.deletingLastPathComponent()
        removeStaleTemporaries(of: url)
        let temporary = directory.appendingPathComponent(
            ".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))")
        let descriptor = open(temporary.path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw WriteError(
                path: url.path,
                reason: "cannot create a temporary file in \(directory.path): \(String(cString: strerror(errno)))",
                exitStatus: ExitStatus.internalFailure)
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: false)
        do {
            try handle.write(contentsOf: data)
            try handle.synchronize()
            close(descriptor)
        } catch {
            close(descriptor)
            unlink(temporary.path)
            throw WriteError(path: url.path, reason: "\(error)", exitStatus: ExitStatus.internalFailure)
        }
        beforeRename()
        if rename(temporary.path, url.path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporary.path)
            throw WriteError(path: url.path, reason: reason, exitStatus: ExitStatus.internalFailure)
        }
        let folder = open(directory.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folder >= 0 {
            fsync(folder)
            close(folder)
        }
    }
}
