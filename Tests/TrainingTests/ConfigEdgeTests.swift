import Foundation
import PropertyBased
import Support
import Testing
import Training

/// Every numeric key of a training config, at every edge of what a number can be, alone and
/// in random pairs: the config is refused (a decoding problem or a range problem placed in
/// the file), or accepted with values that are finite (they encode to JSON, as the manifest
/// and the checkpoint key do) and give at most 64 candidates. Never a trap: a trap ends this
/// test process. The key table is checked against the keys the decoder itself lists, so a
/// new key cannot be left out.
@Suite("every training config key at the edges")
struct ConfigEdgeTests {
    static let edges = [
        "0", "-1", "5e-324", "1e-300", "1e308", "-1e308", ".nan", "nan", ".inf", "-.inf", "9223372036854775807",
        "-9223372036854775808", "9223372036854775808", "1e400", "10000000000", "0.5",
    ]

    /// The numeric keys of each mapping (`budget.gate` is budget's `gate:`), lists marked `[]`.
    static let numeric: [String: [String]] = [
        "": [
            "anchor_penalty", "aum", "batch", "clip", "cvar_confidence", "ensemble", "epochs", "fee_bps", "hidden[]",
            "learning_rate", "patience", "regime_restarts", "regime_states", "risk_penalty", "seed", "start_share",
            "steps_per_epoch", "tilt", "validation_windows", "window",
        ],
        "budget": ["band", "floor", "half_life", "rebalance", "rebalance_offset", "target_vol", "tau", "window"],
        "budget.gate": ["enter", "exit", "floor"],
        "features": [
            "basis_tenors[]", "clip", "correlation_window", "drawdown_window", "ewma_lambda", "funding_windows[]", "horizons[]",
            "market_volatility_window", "momentum_lookback", "momentum_skip", "volatility_window",
        ],
        "overlay": ["hedge_ratio", "moneyness", "roll_days", "tenor_days", "vega_target", "width"],
        "select": ["band[]", "half_life[]", "rebalance[]", "target_vol[]", "tau[]"],
    ]

    /// The keys that are not numbers (names, choices, dates, mappings), by mapping.
    static let other: [String: Set<String>] = [
        "": [
            "budget", "features", "objective", "overlay", "risk_measure", "select", "sleeves", "start", "train", "validate",
        ],
        "budget": ["anchor", "gate"],
        "budget.gate": [],
        "features": ["exogenous"],
        "overlay": ["asset", "hedge", "structure"],
    ]

    /// One numeric key: its mapping and its entry, `VALUE` standing for the value.
    struct Key: Sendable {
        let mapping: String
        let entry: String
        var path: String { mapping.isEmpty ? entry.prefix { $0 != ":" }.description : "\(mapping).\(entry.prefix { $0 != ":" })" }
    }

    /// Every numeric key.
    static var keys: [Key] {
        numeric.keys.sorted().flatMap { mapping in
            numeric[mapping]!.map { key in
                let isList = key.hasSuffix("[]")
                return Key(mapping: mapping, entry: "\(isList ? String(key.dropLast(2)) : key): \(isList ? "[VALUE]" : "VALUE")")
            }
        }
    }

    /// The document setting each key to its value, with what the mappings need around them
    /// (an overlay's structure and asset, select's budget).
    static func document(_ keys: [(Key, String)]) -> String {
        var entries: [String: [String]] = [:]
        for (key, value) in keys {
            entries[key.mapping, default: []].append(key.entry.replacingOccurrences(of: "VALUE", with: value))
        }
        var lines = entries[""] ?? []
        if let gate = entries["budget.gate"] { entries["budget", default: []].append("gate: {\(gate.joined(separator: ", "))}") }
        if entries["select"] != nil && entries["budget"] == nil { entries["budget"] = [] }
        if let overlay = entries["overlay"] { entries["overlay"] = ["structure: protective_put", "asset: SYN1"] + overlay }
        for mapping in ["budget", "features", "overlay", "select"] {
            if let inner = entries[mapping] { lines.append("\(mapping): {\(inner.joined(separator: ", "))}") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Reads `text` as a training config and checks what happened (see the suite).
    static func check(_ text: String) throws {
        let config: TrainingConfig
        do { config = try YAMLDocument.decode(TrainingConfig.self, from: text, file: "c.yaml") } catch { return }
        if let problem = config.problems.first {
            let placed = YAMLDocument.problem(problem, placedIn: text, file: "c.yaml").description
            #expect(placed.hasPrefix("c.yaml"), "\(placed)")
            return
        }
        let json = try JSONEncoder().encode(config)
        #expect(try JSONDecoder().decode(TrainingConfig.self, from: json) == config, "\(text)")
        #expect((1...64).contains(NestedSelection.candidates(config).count), "\(text)")
    }

    @Test("the table names every key the decoder lists, numeric or not (negative control: an unknown key is refused)")
    func complete() throws {
        for mapping in Self.numeric.keys.sorted() {
            let entry = mapping == "select" ? "zz_unknown: [VALUE]" : "zz_unknown: VALUE"
            let text = Self.document([(Key(mapping: mapping, entry: entry), "1")])
            var message = ""
            do {
                let config = try YAMLDocument.decode(TrainingConfig.self, from: text, file: "c.yaml")
                // select is a mapping of lists; its keys are checked as a problem, listing the valid ones.
                message = try #require(config.problems.first, "\(mapping): an unknown key must be refused")
            } catch {
                message = "\(error)"
            }
            let listed = try #require(message.range(of: "valid keys: ") ?? message.range(of: "valid: "), "\(message)").upperBound
            let valid = Set(message[listed...].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            let known = Set(Self.numeric[mapping]!.map { $0.replacingOccurrences(of: "[]", with: "") }).union(
                Self.other[mapping] ?? [])
            #expect(valid == known, "\(mapping): the decoder lists \(valid.sorted())")
        }
    }

    @Test("each key alone at every edge is refused or accepted finite", arguments: keys.map(\.path))
    func single(path: String) throws {
        let key = try #require(Self.keys.first { $0.path == path })
        for value in Self.edges { try Self.check(Self.document([(key, value)])) }
    }

    @Test("random pairs of keys at random edges are refused or accepted finite")
    func pairs() async {
        let keys = Self.keys
        await propertyCheck(
            count: 600, input: Gen.int(in: 0...(keys.count - 1)), Gen.int(in: 0...(keys.count - 1)),
            Gen.int(in: 0...(Self.edges.count - 1)), Gen.int(in: 0...(Self.edges.count - 1))
        ) { a, b, x, y in
            // The same key twice is a duplicate key, refused like any other.
            try Self.check(Self.document([(keys[a], Self.edges[x]), (keys[b], Self.edges[y])]))
        }
    }
}
