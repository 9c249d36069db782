import Foundation
import Support
import Testing

/// `docs/refusals.md`, the operator's catalogue of refusals, read as data.
///
/// A *phrase* is a backticked span in the first column of a table row; the row's second column
/// holds its exit statuses. In a phrase, a word in CAPITALS (`FILE`, `L`, `C`, `X`, `M`) is a
/// placeholder for what the run fills in, except the acronyms the code prints itself
/// (`literalAcronyms`); `...` marks text left out.
///
/// - A phrase's *literal parts* are its pieces between placeholders, `...`, square brackets (a
///   dataset rule's name is printed apart from its message) and the clause breaks `: ` and `; `
///   (the code joins a place and its rule, or a rule and its advice, from separate strings),
///   trimmed of spaces and punctuation. Each must occur in the text of `Sources`, so a row
///   cannot quote a message the code no longer prints; each phrase needs one of at least
///   `distinctiveLength` characters, so a row cannot pass on filler.
/// - A message fragment is *covered* by a phrase when it could be part of a message the phrase
///   describes, each placeholder or `...` standing for any text, with at least
///   `coveredLength` of its characters (all of them, when it is shorter) taken from the
///   phrase's literal text. A hostile case is covered when a phrase of a row that lists the
///   case's exit status covers its expected fragment.
enum RefusalCatalogue {
    /// One table row: its phrases and the exit statuses it lists.
    struct Row {
        let phrases: [String]
        let statuses: Set<Int32>
    }

    /// One piece of a phrase: text the code prints, or a placeholder for what a run fills in.
    enum Segment: Equatable {
        case text(String)
        case placeholder
    }

    /// One item of a phrase read as a pattern: a character the code prints, or any text.
    enum PatternItem: Equatable {
        case literal(Character)
        case wildcard
    }

    /// Words in capitals that the code prints as they are.
    static let literalAcronyms: Set<String> = ["FIFO", "UTF", "JSON", "YAML", "HTTP", "NAV", "SHA", "UTC"]
    /// The clause breaks and brackets a phrase's literal parts are split at.
    static let partBreaks = [": ", "; ", "[", "]"]
    /// What is trimmed from both ends of a literal part.
    static let partTrimming = CharacterSet.whitespaces.union(CharacterSet(charactersIn: ":;,.'\"()[]/"))
    /// The length of the longest literal part every phrase must reach.
    static let distinctiveLength = 6
    /// The characters of a fragment that must come from a phrase's literal text to be covered.
    static let coveredLength = 6
    /// The statuses a row may list: the contract's, 0 for what is not a refusal, and 130 and
    /// 143 for a sweep stopped by SIGINT or SIGTERM.
    static let knownStatuses: Set<Int32> = [
        0, ExitStatus.usage, ExitStatus.badData, ExitStatus.missingInput, ExitStatus.internalFailure, ExitStatus.stale,
        128 + SIGINT, 128 + SIGTERM,
    ]

    /// The repository, found from this file's path.
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..")
        .standardized

    /// The text of `docs/refusals.md`.
    static func markdown() throws -> String {
        try String(contentsOf: repository.appendingPathComponent("docs/refusals.md"), encoding: .utf8)
    }

    /// The text of every Swift file under `Sources`, joined.
    static func sourcesText() throws -> String {
        let folder = repository.appendingPathComponent("Sources")
        let enumerator = try #require(FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil))
        var texts: [String] = []
        for case let url as URL in enumerator where url.pathExtension == "swift" {
            texts.append(try String(contentsOf: url, encoding: .utf8))
        }
        return texts.joined(separator: "\n")
    }

    /// The catalogue's families: its second-level headings.
    static func families(in markdown: String) -> [String] {
        markdown.split(separator: "\n").filter { $0.hasPrefix("## ") }.map { String($0.dropFirst(3)) }
    }

    /// The rows of every table, header and rule lines left out.
    static func rows(in markdown: String) -> [Row] {
        markdown.split(separator: "\n").filter { $0.hasPrefix("| ") && !$0.hasPrefix("| message") }.map(row)
    }

    /// A table line as a row: the backticked spans of its first cell, the numbers of its second.
    static func row(_ line: Substring) -> Row {
        let cells = line.split(separator: "|", omittingEmptySubsequences: false)
        let spans = cells[1].split(separator: "`", omittingEmptySubsequences: false)
        let phrases = spans.indices.filter { $0 % 2 == 1 }.map { String(spans[$0]) }
        let statuses = cells[2].split(whereSeparator: { !$0.isNumber }).compactMap { Int32($0) }
        return Row(phrases: phrases, statuses: Set(statuses))
    }

    /// Whether `word` stands for what a run fills in.
    static func isPlaceholder(_ word: String) -> Bool {
        let scalars = word.unicodeScalars
        guard let first = scalars.first, ("A"..."Z").contains(first) else { return false }
        let capitals = scalars.allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
        return capitals && !literalAcronyms.contains(word)
    }

    /// `phrase` cut into printed text and placeholders (a placeholder word, or `...`).
    static func segments(of phrase: String) -> [Segment] {
        var segments: [Segment] = []
        var rest = Substring(phrase)
        while let first = rest.first {
            let piece: Segment
            if rest.hasPrefix("...") {
                piece = .placeholder
                rest = rest.dropFirst(3)
            } else if first.isLetter || first.isNumber || first == "_" {
                let word = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
                piece = isPlaceholder(String(word)) ? .placeholder : .text(String(word))
                rest = rest.dropFirst(word.count)
            } else {
                piece = .text(String(first))
                rest = rest.dropFirst()
            }
            segments = appending(piece, to: segments)
        }
        return segments
    }

    /// `segments` with `piece` added, joined to the last segment when both are text.
    static func appending(_ piece: Segment, to segments: [Segment]) -> [Segment] {
        guard case .text(let added) = piece, case .text(let last)? = segments.last else { return segments + [piece] }
        return segments.dropLast() + [.text(last + added)]
    }

    /// The literal parts of `phrase` (see the type's documentation).
    static func literalParts(of phrase: String) -> [String] {
        segments(of: phrase).flatMap { segment -> [String] in
            guard case .text(var text) = segment else { return [] }
            for separator in partBreaks { text = text.replacingOccurrences(of: separator, with: "\n") }
            return text.split(separator: "\n").map { $0.trimmingCharacters(in: partTrimming) }.filter { !$0.isEmpty }
        }
    }

    /// The literal parts of `phrase` that do not occur in `sources`.
    static func missingParts(of phrase: String, in sources: String) -> [String] {
        literalParts(of: phrase).filter { !sources.contains($0) }
    }

    /// `phrase` as a pattern: its printed characters, and a wildcard for each placeholder.
    static func pattern(of phrase: String) -> [PatternItem] {
        segments(of: phrase).flatMap { segment -> [PatternItem] in
            guard case .text(let text) = segment else { return [.wildcard] }
            return text.map { .literal($0) }
        }
    }

    /// Whether `fragment` could be part of a message `phrase` describes, with enough of its
    /// characters taken from the phrase's literal text (see the type's documentation). The
    /// fragment may start and end anywhere in the pattern, also inside a placeholder.
    static func covers(_ phrase: String, _ fragment: String) -> Bool {
        let items = pattern(of: phrase)
        // most[k]: the most literal characters in a reading of the fragment so far that has
        // reached item k; -1 when no reading has.
        var most = passingWildcards(Array(repeating: 0, count: items.count + 1), items)
        for character in fragment {
            most = passingWildcards(step(most, items, character), items)
        }
        return (most.max() ?? -1) >= min(coveredLength, fragment.count)
    }

    /// The readings after one more character: a literal item must print it, a wildcard takes it.
    static func step(_ most: [Int], _ items: [PatternItem], _ character: Character) -> [Int] {
        var next = Array(repeating: -1, count: most.count)
        for k in items.indices where most[k] >= 0 {
            switch items[k] {
            case .literal(let printed) where printed == character: next[k + 1] = max(next[k + 1], most[k] + 1)
            case .wildcard: next[k] = max(next[k], most[k])
            case .literal: break
            }
        }
        return next
    }

    /// `most` with each reading that reached a wildcard also past it (a placeholder may be empty).
    static func passingWildcards(_ most: [Int], _ items: [PatternItem]) -> [Int] {
        var passed = most
        for k in items.indices where items[k] == .wildcard && passed[k] >= 0 { passed[k + 1] = max(passed[k + 1], passed[k]) }
        return passed
    }

    /// The first row that lists `status` and has a phrase covering `fragment`, or nil.
    static func coveringRow(_ fragment: String, status: Int32, in rows: [Row]) -> Row? {
        rows.first { row in row.statuses.contains(status) && row.phrases.contains { covers($0, fragment) } }
    }
}

@Suite("the refusal catalogue (docs/refusals.md) is true and complete")
struct RefusalCatalogueTests {
    /// The page keeps its shape: ten families, many rows, each with a phrase and known statuses.
    @Test("it has its families, and every row quotes a message and lists known statuses")
    func shape() throws {
        let markdown = try RefusalCatalogue.markdown()
        #expect(RefusalCatalogue.families(in: markdown).count >= 10)
        let rows = RefusalCatalogue.rows(in: markdown)
        #expect(rows.count >= 80)
        for row in rows {
            #expect(!row.phrases.isEmpty && !row.statuses.isEmpty, "\(row)")
            #expect(row.statuses.isSubset(of: RefusalCatalogue.knownStatuses), "\(row)")
        }
    }

    /// No row quotes a message the code no longer prints.
    @Test("every phrase's literal parts are printed by the sources")
    func phrasesAreInTheSources() throws {
        let sources = try RefusalCatalogue.sourcesText()
        let phrases = RefusalCatalogue.rows(in: try RefusalCatalogue.markdown()).flatMap(\.phrases)
        for phrase in phrases {
            #expect(RefusalCatalogue.missingParts(of: phrase, in: sources).isEmpty, "\(phrase)")
            let longest = RefusalCatalogue.literalParts(of: phrase).map(\.count).max() ?? 0
            #expect(longest >= RefusalCatalogue.distinctiveLength, "\(phrase): no distinctive literal part")
        }
    }

    /// No refusal the hostile suite provokes is missing from the page, nor listed with another status.
    @Test("every hostile case's message is covered by a row with its status")
    func hostileCasesAreCovered() throws {
        let rows = RefusalCatalogue.rows(in: try RefusalCatalogue.markdown())
        let refusals = HostileCases.all.filter { $0.status != 0 }
        #expect(refusals.count >= 100)
        for testCase in refusals {
            #expect(
                RefusalCatalogue.coveringRow(testCase.message, status: testCase.status, in: rows) != nil,
                "\(testCase.name): '\(testCase.message)' (\(testCase.status)) is not in docs/refusals.md")
        }
    }

    /// The checks can fail: an invented message is found absent, and uncovered.
    @Test("negative controls: a made-up phrase is not in the sources, a made-up fragment is not covered")
    func negativeControls() throws {
        let sources = try RefusalCatalogue.sourcesText()
        let invented = "FILE:L:C: the moon is made of green cheese; found X"
        #expect(RefusalCatalogue.missingParts(of: invented, in: sources) == ["the moon is made of green cheese"])
        let rows = RefusalCatalogue.rows(in: try RefusalCatalogue.markdown())
        #expect(RefusalCatalogue.coveringRow("the moon is made of green cheese", status: 65, in: rows) == nil)
        // The status counts: a missing file is 66, and no 65 row covers it.
        #expect(RefusalCatalogue.coveringRow("file not found", status: 66, in: rows) != nil)
        #expect(RefusalCatalogue.coveringRow("file not found", status: 65, in: rows) == nil)
    }

    /// The coverage rule on one phrase, both ways.
    @Test("placeholders stand for any text; literal text must match")
    func coverageRule() {
        let phrase = "FILE: at most K states of D dimensions"
        #expect(RefusalCatalogue.literalParts(of: phrase) == ["at most", "states of", "dimensions"])
        #expect(RefusalCatalogue.covers(phrase, "at most 64 states"))
        #expect(RefusalCatalogue.covers(phrase, "regime.json: at most 64 states of 256 dimensions"))
        #expect(RefusalCatalogue.covers(phrase, "states of 256 rows"), "a fragment may end inside a placeholder")
        #expect(!RefusalCatalogue.covers(phrase, "at least 64"), "3 literal characters")
        #expect(!RefusalCatalogue.covers(phrase, "dimensions: 3"), "text after the message")
        #expect(RefusalCatalogue.literalParts(of: "is not UTF-8 text [not-finite]") == ["is not UTF-8 text", "not-finite"])
    }
}
