import Foundation

/// Writes files so that readers see either the old contents or the new, never a partial file.
package enum AtomicFile {
    /// An error while writing a file atomically; names the path and what failed.
    package struct WriteError: Error, CustomStringConvertible {
        /// The destination path.
        package let path: String
        /// What failed, in words.
        package let reason: String
        package var description: String { "cannot write \(path): \(reason)" }
    }

    /// Writes `data` to a temporary file beside `url`, flushes it to disk (fsync), then
    /// renames it over `url` (rename is atomic within one file system).
    /// - Parameter beforeRename: runs once the temporary file is complete and flushed, just
    ///   before the rename (a test's crash injection lives in the caller, never here).
    /// - Throws: `WriteError` naming the path; the destination is untouched on failure.
    package static func write(_ data: Data, to url: URL, beforeRename: () -> Void = {}) throws(WriteError) {
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(
            ".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)")
        let created = FileManager.default.createFile(atPath: temporary.path, contents: nil)
        guard created, let handle = try? FileHandle(forWritingTo: temporary) else {
            throw WriteError(path: url.path, reason: "cannot create a temporary file in \(directory.path)")
        }
        do {
            try handle.write(contentsOf: data)
            try handle.synchronize()
            try handle.close()
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(at: temporary)
            throw WriteError(path: url.path, reason: "\(error)")
        }
        beforeRename()
        if rename(temporary.path, url.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw WriteError(path: url.path, reason: reason)
        }
    }
}
