import Support
import Yams

/// The optional `dataset.yaml` (contract section 1).
package struct DatasetConfig: Sendable, Equatable {
    /// How an asset is held.
    package enum Kind: String, Sendable, CaseIterable {
        /// Held outright; never pays funding.
        case spot
        /// Held through its perpetual swap; pays or earns `funding.csv`'s rates.
        case perp
        /// Held through its rolled front contract of `futures.csv` (contract section 7).
        case future
    }

    /// The roll rule's default: roll 5 calendar days before expiry.
    package static let defaultRollDays = 5

    /// Periods per year when set; otherwise inferred from the dates.
    package var periodsPerYear: Double?
    /// The name of the cash line in weights files.
    package var cash: String = "CASH"
    /// Fee in basis points of traded weight, when set.
    package var feeBasisPoints: Double?
    /// Per-asset kinds that were set explicitly.
    package var kinds: [String: Kind] = [:]
    /// Days before expiry at which a future rolls, per asset, when set for it.
    package var rollDaysByAsset: [String: Int] = [:]
    /// Days before expiry at which a future rolls, for assets not set one by one.
    package var rollDays = DatasetConfig.defaultRollDays

    /// Assets whose instrument `instrument: auto` chooses; `autoForAll` for every asset whose
    /// kind is not set.
    package var autoInstrument: Set<String> = []
    /// Whether `instrument: auto` was given for every asset.
    package var autoForAll = false
    /// Periods of the trailing carry `instrument: auto` compares.
    package var carryWindow = 7
    /// Per asset, the `features.csv` column of its 30-day implied-volatility index, in percent
    /// (`implied_vol: {BTC: BTC_DVOL}`), from which options on it are priced.
    package var impliedVolatility: [String: String] = [:]
    /// What `ohlcv.csv`'s volume counts (contract section 11).
    package var volumeUnit = VolumeUnit.base
    /// `k` of the square-root market impact (contract section 11).
    package var impactCoefficient = 1.0

    /// What the volume column of `ohlcv.csv` counts.
    package enum VolumeUnit: String, Sendable {
        /// Units of the asset: the dollar volume is `close * volume`.
        case base
        /// USD already (Yahoo's crypto exports): the dollar volume is `volume`.
        case quote
    }

    /// Whether `instrument: auto` chooses how `asset` is held.
    package func choosesInstrument(of asset: String) -> Bool {
        autoInstrument.contains(asset) || (autoForAll && kinds[asset] == nil)
    }

    /// The roll days of `asset`.
    package func rollDays(of asset: String) -> Int { rollDaysByAsset[asset] ?? rollDays }

    package init() {}

    /// Parses `dataset.yaml` text; unknown keys and bad values are reported with their line.
    /// - Parameter file: the path for messages.
    static func parse(_ text: String, file: String, problems: inout ProblemCollector) throws -> DatasetConfig {
        var config = DatasetConfig()
        let node: Node?
        do throws(YAMLDocumentProblem) {
            node = try YAMLGuard.compose(text, file: file)
        } catch {
            try problems.report(
                DatasetError(file: file, line: error.line, column: error.column, rule: .malformedConfig(error.rule)))
            return config
        }
        guard let node else { return config }
        guard let mapping = node.mapping else {
            try problems.report(
                DatasetError(
                    file: file, line: line(of: node), column: column(of: node),
                    rule: .malformedConfig("the top level must be a mapping")))
            return config
        }
        for (keyNode, value) in mapping {
            var entry = ConfigEntry(key: keyNode.string ?? "", value: value, file: file, problems: problems)
            defer { problems = entry.problems }  // also when the limit of problems is reached
            if try !config.read(&entry) {
                try entry.problems.report(
                    DatasetError(
                        file: file, line: line(of: keyNode), column: column(of: keyNode), rule: .unknownConfigKey(entry.key)))
            }
        }
        return config
    }

    /// Reads one top-level key into the config; false for a key the file may not have.
    private mutating func read(_ entry: inout ConfigEntry) throws -> Bool {
        let value = entry.value
        switch entry.key {
        case "periods_per_year":
            if let number = value.float, (1...31_622_400).contains(number) {
                periodsPerYear = number
            } else {
                try entry.invalid("must be a number from 1 (yearly) to 31622400 (every second)")
            }
        case "cash":
            if let name = value.string, !name.isEmpty { cash = name } else { try entry.invalid("must be a non-empty name") }
        case "fee_bps":
            if let number = value.float, number >= 0, number.isFinite {
                feeBasisPoints = number
            } else {
                try entry.invalid("must be a non-negative number")
            }
        case "carry_window":
            if value.scalar != nil, let periods = value.int, (1...3650).contains(periods) {
                carryWindow = periods
            } else {
                try entry.invalid("must be a whole number of periods from 1 to 3650")
            }
        case "volume_unit":
            if let unit = value.string.flatMap(VolumeUnit.init(rawValue:)), value.scalar != nil {
                volumeUnit = unit
            } else {
                try entry.invalid("must be base (volume in units of the asset) or quote (volume in USD)")
            }
        case "impact_coefficient":
            if let number = value.float, (0...1_000).contains(number) {
                impactCoefficient = number
            } else {
                try entry.invalid("must be a number from 0 to 1000")
            }
        case "implied_vol": try readImpliedVolatility(&entry)
        case "kind": try readKinds(&entry)
        case "instrument": try readInstrument(&entry)
        case "roll_days": try readRollDays(&entry)
        default: return false
        }
        return true
    }

    /// `implied_vol: {ASSET: COLUMN}`.
    private mutating func readImpliedVolatility(_ entry: inout ConfigEntry) throws {
        guard let columns = entry.value.mapping else {
            return try entry.invalid("must map assets to features.csv columns of their implied-volatility index (percent)")
        }
        for (assetNode, columnNode) in columns {
            if let column = columnNode.string, !column.isEmpty, columnNode.scalar != nil {
                impliedVolatility[assetNode.string ?? ""] = column
            } else {
                try entry.invalid(
                    at: columnNode, key: "implied_vol.\(assetNode.string ?? "")", rule: "must name a features.csv column")
            }
        }
    }

    /// `kind: {ASSET: spot|perp|future}`.
    private mutating func readKinds(_ entry: inout ConfigEntry) throws {
        guard let kinds = entry.value.mapping else { return try entry.invalid("must map assets to spot, perp or future") }
        for (assetNode, kindNode) in kinds {
            let asset = assetNode.string ?? ""
            if let kind = kindNode.string.flatMap(Kind.init(rawValue:)) {
                self.kinds[asset] = kind
            } else {
                try entry.invalid(at: kindNode, key: "kind.\(asset)", rule: "must be spot, perp or future")
            }
        }
    }

    /// `instrument: auto`, or `instrument: {ASSET: auto}`.
    private mutating func readInstrument(_ entry: inout ConfigEntry) throws {
        if entry.value.string == "auto" {
            autoForAll = true
        } else if let perAsset = entry.value.mapping {
            for (assetNode, choiceNode) in perAsset {
                if choiceNode.string == "auto" {
                    autoInstrument.insert(assetNode.string ?? "")
                } else {
                    try entry.invalid(
                        at: choiceNode, key: "instrument.\(assetNode.string ?? "")",
                        rule: "must be auto (without it, kind says how an asset is held)")
                }
            }
        } else {
            try entry.invalid("must be auto, or map assets to auto")
        }
    }

    /// `roll_days: DAYS`, or `roll_days: {ASSET: DAYS}`.
    private mutating func readRollDays(_ entry: inout ConfigEntry) throws {
        if let days = Self.rollDays(entry.value) {
            rollDays = days
        } else if let perAsset = entry.value.mapping {
            for (assetNode, daysNode) in perAsset {
                let asset = assetNode.string ?? ""
                if let days = Self.rollDays(daysNode) {
                    rollDaysByAsset[asset] = days
                } else {
                    try entry.invalid(at: daysNode, key: "roll_days.\(asset)", rule: Self.rollDaysRule)
                }
            }
        } else {
            try entry.invalid(Self.rollDaysRule + ", or map assets to such numbers")
        }
    }

    private static let rollDaysRule = "must be a whole number of days from 0 to 365"

    /// A `roll_days` value: a whole number of days in 0...365.
    private static func rollDays(_ node: Node) -> Int? {
        guard node.scalar != nil, let days = node.int, (0...365).contains(days) else { return nil }
        return days
    }

    fileprivate static func line(of node: Node) -> Int? {
        node.mark.map { $0.line }
    }

    fileprivate static func column(of node: Node) -> Int? {
        node.mark.map { $0.column }
    }
}

/// One top-level key of `dataset.yaml` being read, with the problems collected so far.
private struct ConfigEntry {
    let key: String
    let value: Node
    let file: String
    var problems: ProblemCollector

    /// Reports the key's value as breaking `rule`.
    mutating func invalid(_ rule: String) throws {
        try invalid(at: value, key: key, rule: rule)
    }

    /// Reports `node`, the value of the dotted `key`, as breaking `rule`.
    mutating func invalid(at node: Node, key: String, rule: String) throws {
        try problems.report(
            DatasetError(
                file: file, line: DatasetConfig.line(of: node), column: DatasetConfig.column(of: node),
                rule: .invalidConfigValue(key: key, value: node.string ?? "\(node)", rule: rule)))
    }
}
