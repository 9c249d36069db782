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
            let key = keyNode.string ?? ""
            let at = line(of: keyNode)
            func invalid(_ rule: String) throws {
                try problems.report(
                    DatasetError(
                        file: file, line: line(of: value), column: column(of: value),
                        rule: .invalidConfigValue(key: key, value: value.string ?? "\(value)", rule: rule)))
            }
            switch key {
            case "periods_per_year":
                if let number = value.float, (1...31_622_400).contains(number) {
                    config.periodsPerYear = number
                } else {
                    try invalid("must be a number from 1 (yearly) to 31622400 (every second)")
                }
            case "cash":
                if let name = value.string, !name.isEmpty { config.cash = name } else { try invalid("must be a non-empty name") }
            case "implied_vol":
                guard let columns = value.mapping else {
                    try invalid("must map assets to features.csv columns of their implied-volatility index (percent)")
                    continue
                }
                for (assetNode, columnNode) in columns {
                    if let column = columnNode.string, !column.isEmpty, columnNode.scalar != nil {
                        config.impliedVolatility[assetNode.string ?? ""] = column
                    } else {
                        try problems.report(
                            DatasetError(
                                file: file, line: line(of: columnNode), column: column(of: columnNode),
                                rule: .invalidConfigValue(
                                    key: "implied_vol.\(assetNode.string ?? "")", value: columnNode.string ?? "\(columnNode)",
                                    rule: "must name a features.csv column")))
                    }
                }
            case "fee_bps":
                if let number = value.float, number >= 0, number.isFinite {
                    config.feeBasisPoints = number
                } else {
                    try invalid("must be a non-negative number")
                }
            case "kind":
                guard let kinds = value.mapping else {
                    try invalid("must map assets to spot, perp or future")
                    continue
                }
                for (assetNode, kindNode) in kinds {
                    let asset = assetNode.string ?? ""
                    if let kind = kindNode.string.flatMap(Kind.init(rawValue:)) {
                        config.kinds[asset] = kind
                    } else {
                        try problems.report(
                            DatasetError(
                                file: file, line: line(of: kindNode), column: column(of: kindNode),
                                rule: .invalidConfigValue(
                                    key: "kind.\(asset)", value: kindNode.string ?? "\(kindNode)",
                                    rule: "must be spot, perp or future")))
                    }
                }
            case "instrument":
                if value.string == "auto" {
                    config.autoForAll = true
                } else if let perAsset = value.mapping {
                    for (assetNode, choiceNode) in perAsset {
                        if choiceNode.string == "auto" {
                            config.autoInstrument.insert(assetNode.string ?? "")
                        } else {
                            try problems.report(
                                DatasetError(
                                    file: file, line: line(of: choiceNode), column: column(of: choiceNode),
                                    rule: .invalidConfigValue(
                                        key: "instrument.\(assetNode.string ?? "")", value: choiceNode.string ?? "\(choiceNode)",
                                        rule: "must be auto (without it, kind says how an asset is held)")))
                        }
                    }
                } else {
                    try invalid("must be auto, or map assets to auto")
                }
            case "carry_window":
                if value.scalar != nil, let periods = value.int, (1...3650).contains(periods) {
                    config.carryWindow = periods
                } else {
                    try invalid("must be a whole number of periods from 1 to 3650")
                }
            case "roll_days":
                if let days = rollDays(value) {
                    config.rollDays = days
                } else if let perAsset = value.mapping {
                    for (assetNode, daysNode) in perAsset {
                        let asset = assetNode.string ?? ""
                        if let days = rollDays(daysNode) {
                            config.rollDaysByAsset[asset] = days
                        } else {
                            try problems.report(
                                DatasetError(
                                    file: file, line: line(of: daysNode), column: column(of: daysNode),
                                    rule: .invalidConfigValue(
                                        key: "roll_days.\(asset)", value: daysNode.string ?? "\(daysNode)", rule: rollDaysRule)))
                        }
                    }
                } else {
                    try invalid(rollDaysRule + ", or map assets to such numbers")
                }
            default:
                try problems.report(DatasetError(file: file, line: at, column: column(of: keyNode), rule: .unknownConfigKey(key)))
            }
        }
        return config
    }

    private static let rollDaysRule = "must be a whole number of days from 0 to 365"

    /// A `roll_days` value: a whole number of days in 0...365.
    private static func rollDays(_ node: Node) -> Int? {
        guard node.scalar != nil, let days = node.int, (0...365).contains(days) else { return nil }
        return days
    }

    private static func line(of node: Node) -> Int? {
        node.mark.map { $0.line }
    }

    private static func column(of node: Node) -> Int? {
        node.mark.map { $0.column }
    }
}
