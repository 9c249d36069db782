import BuildStamp
import Foundation

/// The git revision of a checkout: the commit its `.git/HEAD` names, looked up from a folder
/// and up to seven of its parents; `unknown` outside a checkout.
package enum CodeRevision {
    /// The revision of the checkout holding `folder`.
    package static func find(from folder: URL) -> String {
        var folder = folder
        for _ in 0..<8 {
            let head = folder.appendingPathComponent(".git/HEAD")
            if let text = try? String(contentsOf: head, encoding: .utf8) {
                let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
                guard trimmed.hasPrefix("ref: ") else { return trimmed }
                let ref = folder.appendingPathComponent(".git").appendingPathComponent(String(trimmed.dropFirst(5)))
                return (try? String(contentsOf: ref, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
                    ?? "unknown"
            }
            folder.deleteLastPathComponent()
        }
        return "unknown"
    }

    /// The revision the running executable was built from: stamped at build time
    /// (`BuildStamp`), so a binary copied out of its checkout still names it; when the build had
    /// no git, the checkout the executable sits in (`.build/*/regimen`), else `unknown`.
    package static var ofExecutable: String {
        BuildStamp.revision != "unknown"
            ? BuildStamp.revision
            : find(from: URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent())
    }
}
