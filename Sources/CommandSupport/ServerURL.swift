import ArgumentParser
import Foundation

/// The URL of an HTTP service given as an option (an MLflow tracking server), checked in
/// `validate()` (64) so that a URL no request can reach is refused before any work, naming the
/// option and what is wrong.
package enum ServerURL {
    /// The URL of `text`, given as `option`.
    /// - Throws: `ValidationError` unless `text` is an `http` or `https` URL with a host, a
    ///   port (if any) from 1 to 65535, no query or fragment, and no space or control character.
    package static func check(_ text: String, option: String) throws -> URL {
        if let reason = problem(text) {
            throw ValidationError(
                "\(option) must be an http(s) URL with a host, e.g. http://127.0.0.1:5000; found '\(text)' (\(reason))")
        }
        return URL(string: text)!
    }

    /// What is wrong with `text` as a server URL, or nil.
    static func problem(_ text: String) -> String? {
        let unsafe = CharacterSet.whitespacesAndNewlines.union(.controlCharacters)
        if text.unicodeScalars.contains(where: unsafe.contains) { return "it holds a space or a control character" }
        guard let components = URLComponents(string: text), URL(string: text) != nil else { return "not a URL" }
        guard let scheme = components.scheme?.lowercased(), ["http", "https"].contains(scheme) else {
            return "the scheme must be http or https"
        }
        guard let host = components.host, !host.isEmpty else { return "no host" }
        if let port = components.port, !(1...65_535).contains(port) { return "the port must be from 1 to 65535" }
        if components.query != nil || components.fragment != nil { return "a query or fragment would be lost" }
        return nil
    }
}
