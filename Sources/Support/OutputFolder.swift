import Foundation

/// A folder a command writes into (a registry, a report, a sweep's output), checked before any
/// work: the nearest existing path of it or its parents must be a folder, so a file given
/// where a folder belongs is a usage error (64) naming the option, not an internal error
/// after the work is done.
package enum OutputFolder {
    /// A file where the option needs a folder (64).
    package struct NotAFolder: ReportableError {
        package let option: String
        package let path: String
        /// The existing file on the way to `path` (`path` itself or a parent).
        package let file: String
        /// What the folder is for, e.g. "the model registry".
        package let purpose: String

        package var description: String {
            "\(option) \(path): \(file) is a file, not a folder; give a folder for \(purpose) (nothing was run or written)"
        }
        package var exitStatus: Int32 { ExitStatus.usage }
    }

    /// Refuses `path` when it, or the nearest of its parents that exists, is not a folder.
    package static func check(_ path: String, option: String, purpose: String) throws(NotAFolder) {
        var url = URL(fileURLWithPath: path).standardized
        while true {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
                guard isDirectory.boolValue else {
                    throw NotAFolder(option: option, path: path, file: url.path, purpose: purpose)
                }
                return
            }
            let parent = url.deletingLastPathComponent()
            guard parent.path != url.path else { return }
            url = parent
        }
    }
}
