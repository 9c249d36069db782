import Foundation
import Support

#if canImport(Glibc)
    import Glibc
#endif

/// The model registry on disk (contract section 4): `ROOT/NAME/VERSION/` holds an immutable
/// version (`manifest.json` with each file's SHA-256, weights, statistics);
/// `ROOT/NAME/aliases.json` maps aliases to versions.
///
/// A version is written into a staging folder and renamed into place under an exclusive
/// `flock` on `ROOT/NAME/.lock`, so a half-written version never appears under its number and
/// two trainings at once never get the same number.
package struct ModelRegistry: Sendable {
    /// The registry's root (`models/`).
    package let root: URL

    package init(root: URL) { self.root = root }

    /// A registry failure: a missing or damaged version or alias (66), or a registry that
    /// refuses the change (65).
    package struct Failure: ReportableError {
        package let description: String
        package let isMissing: Bool

        package var exitStatus: Int32 { isMissing ? ExitStatus.missingInput : ExitStatus.badData }

        package init(description: String, isMissing: Bool) {
            self.description = description
            self.isMissing = isMissing
        }
    }

    /// `NAME:VERSION` or `NAME@ALIAS`.
    package struct Reference: Sendable, Equatable, CustomStringConvertible {
        package let name: String
        package let version: Int?
        package let alias: String?

        /// Parses `NAME:VERSION` or `NAME@ALIAS`; nil unless the name and alias are valid
        /// (`ModelRegistry.isValidName`) and the version is a whole number from 1.
        package init?(parsing text: String) {
            if let at = text.firstIndex(of: "@") {
                name = String(text[..<at])
                alias = String(text[text.index(after: at)...])
                version = nil
                guard ModelRegistry.isValidName(name), ModelRegistry.isValidName(alias!) else { return nil }
            } else if let colon = text.firstIndex(of: ":"), let number = Int(text[text.index(after: colon)...]), number >= 1 {
                name = String(text[..<colon])
                version = number
                alias = nil
                guard ModelRegistry.isValidName(name) else { return nil }
            } else {
                return nil
            }
        }

        package var description: String { version.map { "\(name):\($0)" } ?? "\(name)@\(alias!)" }
    }

    /// Whether `name` may name a model or an alias: 1 to 128 of `A-Z a-z 0-9 . _ -`, not
    /// starting with a dot (so never `.`, `..` or a hidden folder), so that it is always one
    /// path component inside the registry.
    package static func isValidName(_ name: String) -> Bool {
        let allowed = name.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: ".")
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
        return allowed && (1...128).contains(name.utf8.count) && !name.hasPrefix(".")
    }

    /// The rule `isValidName` enforces, for messages.
    package static let nameRule = "1 to 128 of A-Z a-z 0-9 . _ - and not starting with '.'"

    private static func checkName(_ name: String, _ what: String) throws(Failure) {
        guard isValidName(name) else {
            throw Failure(description: "\(what) '\(name)' is not valid: \(nameRule)", isMissing: false)
        }
    }

    /// The model names with at least one version.
    package func names() -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return entries.filter { !versions(of: $0).isEmpty }.sorted()
    }

    /// The versions of `name`, ascending.
    package func versions(of name: String) -> [Int] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(name).path)) ?? []
        return entries.compactMap(Int.init).filter { $0 >= 1 }.sorted()
    }

    /// The folder of a version.
    package func directory(_ name: String, _ version: Int) -> URL {
        root.appendingPathComponent(name).appendingPathComponent(String(version))
    }

    /// The aliases of `name` (`champion` -> 3); none when `aliases.json` does not exist.
    /// - Throws: `Failure` (damaged, 66) when the file exists but is not a map of valid alias
    ///   names to versions of `name`: it is never silently read as empty, so a promotion
    ///   cannot rewrite it without the aliases it held.
    package func aliases(of name: String) throws(Failure) -> [String: Int] {
        let path = root.appendingPathComponent(name).appendingPathComponent("aliases.json").path
        guard InputFile.exists(path) else { return [:] }
        let damaged = { (why: String) in Failure(description: "\(path): \(why); fix or remove it", isMissing: true) }
        let data: Data
        do { data = try InputFile.data(path, limit: InputFile.settingsLimit) } catch { throw damaged(error.rule) }
        guard let map = try? JSONDecoder().decode([String: Int].self, from: data) else {
            throw damaged("not a JSON object of alias names to version numbers")
        }
        let known = Set(versions(of: name))
        for (alias, version) in map.sorted(by: { $0.key < $1.key }) {
            guard Self.isValidName(alias) else { throw damaged("alias '\(alias)' is not a valid name") }
            guard known.contains(version) else {
                throw damaged("alias '\(alias)' points at version \(version), which does not exist")
            }
        }
        return map
    }

    /// The version a reference names.
    /// - Throws: `Failure` (missing) for an unknown name, version or alias.
    package func resolve(_ reference: Reference) throws(Failure) -> Int {
        let known = versions(of: reference.name)
        guard !known.isEmpty else {
            throw Failure(description: "\(root.path): no model named '\(reference.name)'", isMissing: true)
        }
        if let version = reference.version {
            guard known.contains(version) else {
                throw Failure(
                    description:
                        "\(root.path)/\(reference.name): no version \(version); versions: \(known.map(String.init).joined(separator: ", "))",
                    isMissing: true)
            }
            return version
        }
        let aliases = try self.aliases(of: reference.name)
        guard let version = aliases[reference.alias!] else {
            throw Failure(
                description:
                    "\(root.path)/\(reference.name): no alias '\(reference.alias!)'; aliases: \(aliases.keys.sorted().joined(separator: ", "))",
                isMissing: true)
        }
        return version
    }

    /// Publishes a new version of `name`: `files` plus the manifest `makeManifest(version,
    /// checksums)` builds, in a staging folder renamed into place under the lock.
    /// - Returns: the new version number.
    package func publish(name: String, files: [String: Data], makeManifest: (Int, [String: String]) throws -> Data) throws -> Int
    {
        try Self.checkName(name, "model name")
        for file in files.keys where !Self.isValidName(file) {
            throw Failure(description: "file name '\(file)' is not valid: \(Self.nameRule)", isMissing: false)
        }
        let folder = root.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let staging = folder.appendingPathComponent(".staging-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(at: staging) }
        var checksums: [String: String] = [:]
        for (file, data) in files {
            try AtomicFile.write(data, to: staging.appendingPathComponent(file))
            checksums[file] = SHA256.hex([UInt8](data))
        }
        return try withLock(folder) {
            let version = (versions(of: name).last ?? 0) + 1
            let manifest = try makeManifest(version, checksums)
            try AtomicFile.write(manifest, to: staging.appendingPathComponent("manifest.json"))
            var digests = try self.digests(of: name) ?? [:]
            digests[String(version)] = SHA256.hex([UInt8](manifest))
            try AtomicFile.write(try CanonicalJSON.encode(digests), to: folder.appendingPathComponent("versions.json"))
            guard rename(staging.path, directory(name, version).path) == 0 else {
                throw Failure(
                    description: "cannot move version \(version) of \(name) into place: \(String(cString: strerror(errno)))",
                    isMissing: false)
            }
            return version
        }
    }

    /// Points `alias` at `version` (atomically rewriting `aliases.json`).
    package func promote(name: String, version: Int, alias: String) throws {
        try Self.checkName(name, "model name")
        try Self.checkName(alias, "alias")
        guard versions(of: name).contains(version) else {
            throw Failure(description: "\(root.path)/\(name): no version \(version)", isMissing: true)
        }
        let folder = root.appendingPathComponent(name)
        try withLock(folder) {
            var map = try aliases(of: name)
            map[alias] = version
            try AtomicFile.write(try CanonicalJSON.encode(map), to: folder.appendingPathComponent("aliases.json"))
        }
    }

    /// `NAME/versions.json`: each version's SHA-256 of its `manifest.json`, recorded at publish
    /// outside the version folders (the manifest lists every other file's checksum, so the
    /// digest covers the whole version); nil for a registry published before digests.
    /// - Throws: `Failure` (damaged, 66) when the file exists but does not read as a map.
    package func digests(of name: String) throws(Failure) -> [String: String]? {
        let path = root.appendingPathComponent(name).appendingPathComponent("versions.json").path
        guard InputFile.exists(path) else { return nil }
        let data: Data
        do { data = try InputFile.data(path, limit: InputFile.settingsLimit) } catch {
            throw Failure(description: "\(path): \(error.rule); the registry is damaged", isMissing: true)
        }
        guard let map = try? JSONDecoder().decode([String: String].self, from: data) else {
            throw Failure(
                description: "\(path): not a JSON object of versions to SHA-256 digests; the registry is damaged", isMissing: true
            )
        }
        return map
    }

    /// A version's `manifest.json` bytes, checked against the digest recorded at publish.
    /// - Throws: `Failure` (damaged, 66) when the manifest cannot be read, or differs from its
    ///   digest, or `versions.json` has no digest for the version (a manifest edited, or a
    ///   version folder put there by hand). A registry without `versions.json` (published
    ///   before digests) is read unchecked.
    package func manifestData(_ name: String, _ version: Int) throws(Failure) -> Data {
        let path = directory(name, version).appendingPathComponent("manifest.json").path
        let data: Data
        do { data = try InputFile.data(path, limit: InputFile.settingsLimit) } catch {
            throw Failure(description: "\(path): \(error.rule); version \(name):\(version) is damaged", isMissing: true)
        }
        guard let digests = try digests(of: name) else { return data }
        guard let recorded = digests[String(version)] else {
            throw Failure(
                description:
                    "\(path): no digest recorded for version \(version) at publish; version \(name):\(version) is damaged",
                isMissing: true)
        }
        guard SHA256.hex([UInt8](data)) == recorded else {
            throw Failure(
                description:
                    "\(path): differs from the digest recorded when it was published (edited since); version \(name):\(version) is damaged",
                isMissing: true)
        }
        return data
    }

    /// The bytes of a version's files after checking every checksum the manifest lists.
    /// - Throws: `Failure` naming a missing or damaged file.
    package func verifiedFiles(_ name: String, _ version: Int, checksums: [String: String]) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for (file, expected) in checksums.sorted(by: { $0.key < $1.key }) {
            guard Self.isValidName(file) else {
                throw Failure(
                    description:
                        "\(directory(name, version).path)/manifest.json: lists a file '\(file)' outside the version; version \(name):\(version) is damaged",
                    isMissing: true)
            }
            let path = directory(name, version).appendingPathComponent(file).path
            let data: Data
            do { data = try InputFile.data(path, limit: InputFile.dataLimit) } catch {
                throw Failure(description: "\(path): \(error.rule); version \(name):\(version) is damaged", isMissing: true)
            }
            guard SHA256.hex([UInt8](data)) == expected else {
                throw Failure(
                    description: "\(path): checksum does not match the manifest; version \(name):\(version) is damaged",
                    isMissing: true)
            }
            files[file] = data
        }
        return files
    }

    private func withLock<R>(_ folder: URL, _ body: () throws -> R) throws -> R {
        try FileLock.withExclusive(folder.appendingPathComponent(".lock"), body)
    }
}
