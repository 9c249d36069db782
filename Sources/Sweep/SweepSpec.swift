import Foundation
import Baselines
import Portfolio
import Support
import Training

/// A sweep spec (contract section 9): a training config, a grid of config keys to lists of
/// values, seeds, walk-forward folds, a date range and a dataset; optionally baselines, the
/// fee and the starting capital the runs pay market impact at.
package struct SweepSpec: Decodable, Sendable {
    /// The base training config: a path (relative to the spec's folder) or a mapping.
    package var config: TrainingConfig
    /// Config key -> values, expanded as a Cartesian product in key order.
    package var grid: [(key: String, values: [JSONValue])]
    package var seeds: [UInt64]
    /// `TRAIN:TEST:MODE`, periods.
    package var walkForward: String
    package var from: String
    package var to: String
    /// The dataset directory (relative to the spec's folder).
    package var data: String
    /// The baselines run on the same folds (`BaselineSpec` spellings; `NAME:sample` is `NAME`).
    package var baselines: [BaselineSpec]
    /// The fee of the runs' backtests and the baselines, basis points of traded weight (nil:
    /// the dataset's); within `feeRange`.
    package var feeBps: Double?
    /// The starting capital in USD every run's backtest and the baselines pay market impact
    /// at (contract section 11); nil for none. Within `MarketImpact.capitalRange`.
    package var aum: Double?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case config, grid, seeds, from, to, data, baselines, aum
        case walkForward = "walk_forward"
        case feeBps = "fee_bps"
    }

    /// The most runs a spec may expand to.
    package static let mostRuns = 100_000

    /// The fees `fee_bps` may take: those of `evaluate --fee-bps` and of the training config.
    package static let feeRange = 0.0...1_000

    /// The refusal of a `fee_bps` outside `feeRange` (nil when within it).
    static func feeProblem(_ fee: Double) -> String? {
        feeRange.contains(fee) ? nil : "fee_bps must be from \(feeRange.lowerBound) to \(feeRange.upperBound); found \(fee)"
    }

    package init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        config = try c.decode(TrainingConfig.self, forKey: .config)
        let values = try c.decodeIfPresent([String: [JSONValue]].self, forKey: .grid) ?? [:]
        grid = values.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        seeds = try c.decodeIfPresent([UInt64].self, forKey: .seeds) ?? [7]
        walkForward = try c.decode(String.self, forKey: .walkForward)
        from = try c.decode(String.self, forKey: .from)
        to = try c.decode(String.self, forKey: .to)
        data = try c.decode(String.self, forKey: .data)
        let names = try c.decodeIfPresent([String].self, forKey: .baselines) ?? []
        do { baselines = try BaselineSpec.list(names) } catch {
            throw DecodingError.dataCorruptedError(forKey: .baselines, in: c, debugDescription: error.description)
        }
        feeBps = try c.decodeIfPresent(Double.self, forKey: .feeBps)
        aum = try c.decodeIfPresent(Double.self, forKey: .aum)
    }

    /// The refusal of an `aum` outside `MarketImpact.capitalRange` (nil when within it).
    static func aumProblem(_ aum: Double) -> String? {
        MarketImpact.capitalRange.contains(aum) ? nil : MarketImpact.capitalRefusal("aum", found: "\(aum)")
    }

    /// Reads a spec file; `config` may name a training-config file beside it.
    package static func read(_ path: String) throws -> SweepSpec {
        let text = try InputFile.text(path, limit: InputFile.settingsLimit)
        let root = try resolvedDocument(path, text: text)
        // Checked before encoding: a NaN or an infinity would fail there without the range.
        if case .number(let fee) = root["fee_bps"], let problem = feeProblem(fee) {
            throw SweepFailure(description: "\(path): \(problem)")
        }
        if case .number(let aum) = root["aum"], let problem = aumProblem(aum) {
            throw SweepFailure(description: "\(path): \(problem)")
        }
        var spec: SweepSpec
        do { spec = try JSONDecoder().decode(SweepSpec.self, from: CanonicalJSON.encode(root)) } catch {
            throw SweepFailure(description: "\(path): \(Self.describe(error))")
        }
        if let problem = spec.problems.first {
            throw SweepFailure(description: YAMLDocument.problem(problem, placedIn: text, file: path).description)
        }
        spec.config.train = nil
        spec.config.validate = nil
        return spec
    }

    /// A path of the spec (`config:`, `data:`) as the file system reads it: an absolute one
    /// as written, a relative one joined to the spec file's folder made absolute, so a
    /// leading `..` climbs out of that folder (a relative URL's `standardized` dropped it),
    /// and `.` and `..` are resolved lexically, as a reader of the spec resolves them.
    static func resolve(_ relative: String, besideSpec specPath: String) -> String {
        guard !relative.hasPrefix("/") else { return relative }
        let folder = URL(fileURLWithPath: specPath).absoluteURL.deletingLastPathComponent()
        return folder.appendingPathComponent(relative).standardized.path
    }

    /// The mapping of the spec file at `path` (its `text`), with a `config:` given as a path
    /// inlined and a relative `data` made absolute (from the spec's folder): what is decoded.
    static func resolvedDocument(_ path: String, text: String) throws -> [String: JSONValue] {
        var root = try YAMLDocument.decode([String: JSONValue].self, from: text, file: path)
        if case .string(let configPath) = root["config"] {
            let resolved = resolve(configPath, besideSpec: path)
            root["config"] = try YAMLDocument.decode(
                JSONValue.self, from: InputFile.text(resolved, limit: InputFile.settingsLimit), file: resolved)
        }
        if case .string(let dataPath) = root["data"] { root["data"] = .string(resolve(dataPath, besideSpec: path)) }
        return root
    }

    /// The spec at `path` as a document that needs no other file of this machine: its config
    /// inlined and `data` set to `dataFolder`, a path relative to wherever the document is
    /// read (JSON, which the spec's YAML reader reads). The same runs, with the same ids,
    /// follow from it as from `path` when `dataFolder` holds a copy of the dataset's files.
    /// - Throws: what `read(_:)` throws for the file or its config.
    package static func portableDocument(_ path: String, dataFolder: String) throws -> Data {
        var root = try resolvedDocument(path, text: try InputFile.text(path, limit: InputFile.settingsLimit))
        root["data"] = .string(dataFolder)
        return try CanonicalJSON.encode(root)
    }

    /// A decoding error in words: the field's path and the rule.
    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context), DecodingError.typeMismatch(_, let context),
            DecodingError.valueNotFound(_, let context):
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            return field.isEmpty ? context.debugDescription : "\(field): \(context.debugDescription)"
        case DecodingError.keyNotFound(let key, _): return "missing key '\(key.stringValue)'"
        default: return "\(error)"
        }
    }

    /// Problems with the values (empty when valid), as sentences that start with the dotted
    /// key they name (the config's under `config.`).
    package var problems: [String] {
        var found = config.problems.map { "config." + $0 } + (feeBps.flatMap(Self.feeProblem).map { [$0] } ?? [])
        if let problem = aum.flatMap(Self.aumProblem) { found.append(problem) }
        // A dotted key names a key inside a mapping of the config; the config nests 3 deep at
        // most, and a key of a million dots must not nest a million mappings.
        for entry in grid where entry.key.split(separator: ".", omittingEmptySubsequences: false).count > 3 {
            found.append("grid key '\(entry.key.prefix(40))' nests deeper than 3 keys (config keys are at most KEY.KEY.KEY)")
        }
        if seeds.isEmpty || Set(seeds).count != seeds.count || seeds.contains(where: { $0 > 1 << 53 }) {
            found.append("seeds must be a non-empty list of distinct whole numbers up to 2^53")
        }
        // Saturating: a product that overflows is too many, never a small wrapped number.
        let points = grid.reduce(1) { total, entry in
            let (product, overflow) = total.multipliedReportingOverflow(by: Swift.max(entry.values.count, 1))
            return overflow ? Int.max : product
        }
        if grid.contains(where: { $0.values.isEmpty }) { found.append("every grid key needs at least one value") }
        let (runs, overflow) = points.multipliedReportingOverflow(by: seeds.count)
        if overflow || runs > Self.mostRuns / 4 {
            found.append("the grid times the seeds must stay below \(Self.mostRuns / 4) points")
        }
        return found
    }

    /// Every grid point: the values of the grid's keys, in key order.
    package var points: [[(key: String, value: JSONValue)]] {
        grid.reduce([[]]) { partial, entry in
            partial.flatMap { point in entry.values.map { point + [(entry.key, $0)] } }
        }
    }

    /// The config of a grid point and seed: the base config with the point's keys replaced
    /// (through the config's own decoder, so a misspelt key or a bad value is refused). A
    /// dotted key (`budget.tau`) replaces one key inside a mapping of the config, keeping its
    /// other keys.
    package func config(at point: [(key: String, value: JSONValue)], seed: UInt64) throws -> TrainingConfig {
        guard case .object(var fields) = try JSONDecoder().decode(JSONValue.self, from: CanonicalJSON.encode(config)) else {
            throw SweepFailure(description: "the base config does not encode as a mapping")
        }
        for (key, value) in point { Self.set(&fields, path: key.split(separator: ".").map(String.init)[...], to: value) }
        fields["seed"] = .number(Double(seed))
        var resolved: TrainingConfig
        do {
            resolved = try JSONDecoder().decode(TrainingConfig.self, from: CanonicalJSON.encode(JSONValue.object(fields)))
        } catch {
            throw SweepFailure(
                description:
                    "grid point \(point.map { "\($0.key)=\($0.value.text)" }.joined(separator: ", ")): \(Self.describe(error))")
        }
        resolved.train = nil
        resolved.validate = nil
        if let problem = resolved.problems.first {
            throw SweepFailure(
                description: "grid point \(point.map { "\($0.key)=\($0.value.text)" }.joined(separator: ", ")): \(problem)")
        }
        return resolved
    }
}

extension SweepSpec {
    /// Sets the value at a dotted path of a mapping, making the mappings on the way when
    /// absent (a value that is not a mapping on the way is replaced by one).
    static func set(_ fields: inout [String: JSONValue], path: ArraySlice<String>, to value: JSONValue) {
        guard let first = path.first else { return }
        guard path.count > 1 else {
            fields[first] = value
            return
        }
        var inner: [String: JSONValue] = [:]
        if case .object(let existing) = fields[first] { inner = existing }
        set(&inner, path: path.dropFirst(), to: value)
        fields[first] = .object(inner)
    }
}

/// Why a sweep cannot run.
package struct SweepFailure: ReportableError {
    package let description: String
    package var exitStatus: Int32 { ExitStatus.badData }

    package init(description: String) { self.description = description }
}
