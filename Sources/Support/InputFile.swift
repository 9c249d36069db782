import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Reads an input file the way every reader of Regimen must: a path that does not exist is a
/// missing input (66); one that is a directory, a device or a pipe, larger than its reader's
/// limit, or (for text) not UTF-8 is bad input (65). The size is checked before a byte is
/// read, so no file makes Regimen allocate without bound or block on a FIFO.
package enum InputFile {
    /// Why a file cannot be read.
    package struct Problem: ReportableError, Equatable {
        package let file: String
        package let rule: String
        package let isMissing: Bool

        package init(file: String, rule: String, isMissing: Bool) {
            self.file = file
            self.rule = rule
            self.isMissing = isMissing
        }

        package var description: String { "\(file): \(rule)" }
        package var exitStatus: Int32 { isMissing ? ExitStatus.missingInput : ExitStatus.badData }
    }

    /// The largest settings or model metadata file (YAML, JSON) read: 16 MiB.
    package static let settingsLimit = 16 << 20
    /// The largest data or tensor file read: 4 GiB.
    package static let dataLimit = 4 << 30

    /// The file's bytes.
    /// - Parameter limit: the most bytes accepted.
    package static func data(_ path: String, limit: Int) throws(Problem) -> Data {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw Problem(file: path, rule: "file not found", isMissing: true)
        }
        switch status.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw Problem(file: path, rule: "is a directory, not a file", isMissing: false)
        default: throw Problem(file: path, rule: "is not a regular file (a device, pipe or socket)", isMissing: false)
        }
        guard Int(status.st_size) <= limit else {
            throw Problem(file: path, rule: "is \(status.st_size) bytes; at most \(limit) are read", isMissing: false)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Problem(file: path, rule: "cannot be read (permissions?)", isMissing: false)
        }
        guard data.count <= limit else {
            throw Problem(file: path, rule: "grew beyond \(limit) bytes while being read", isMissing: false)
        }
        return data
    }

    /// The UTF-8 byte-order mark, `EF BB BF`.
    package static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// The file's text, which must be UTF-8.
    /// - Parameter limit: the most bytes accepted.
    package static func text(_ path: String, limit: Int) throws(Problem) -> String {
        try text(decoding: data(path, limit: limit), file: path)
    }

    /// `data` as text, which must be UTF-8; one leading byte-order mark is dropped.
    /// - Parameter file: the path the bytes came from, for the message.
    package static func text(decoding data: Data, file path: String) throws(Problem) -> String {
        guard let text = String(data: data, encoding: .utf8) else {
            throw Problem(file: path, rule: "is not UTF-8 text", isMissing: false)
        }
        return text
    }

    /// Whether `path` exists at all (as anything; a dangling symbolic link counts).
    package static func exists(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0
    }
}
