import Support

/// `futures.csv` (contract section 1): long form, one row per dated futures contract per day
/// it has a price, columns `date,asset,contract,expiry` and optionally `close`, `volume`,
/// `settlement` in any order. Every rule is checked with the row's line and the field's
/// column: an unknown underlying, a row after the contract's expiry, an expiry (or
/// underlying, or settlement) that changes within a contract, a repeated or earlier date
/// within a contract, a close that is not a positive finite price, an unknown settlement.
///
/// Closes are joined to the rows of `prices.csv` as of their date; a close dated after the
/// last price row is not part of the market yet and is dropped. Memory is proportional to
/// the file: each contract keeps only its own closes.
enum FuturesReader {
    /// The columns a file may have.
    static let columns = ["date", "asset", "contract", "expiry", "close", "volume", "settlement"]
    private static let required = ["date", "asset", "contract", "expiry"]
    /// The most contracts one underlying may have: exchanges list a few dozen at a time, and
    /// the features scan an underlying's contracts on every row.
    static let mostContracts = 10_000

    /// The contracts of each underlying, keyed by asset.
    static func read(_ text: String, file: String, prices: PriceTableReader, problems: inout ProblemCollector) throws
        -> [String: [FuturesContract]]
    {
        guard
            let (table, header, position) = try CSVTable.longForm(
                text, file: file, columns: columns, required: required, problems: &problems)
        else { return [:] }
        var builders: [String: ContractBuilder] = [:]
        var order: [String] = []
        for record in table.records.dropFirst() {
            guard try record.hasWidth(of: header, file: file, problems: &problems) else { continue }
            let row = Row(record: record, position: position, file: file)
            guard let parsed = try row.parseFutures(knownAssets: prices.assets, problems: &problems) else { continue }
            if var builder = builders[parsed.contract] {
                builders[parsed.contract] = nil  // unique, so the appends below do not copy
                try builder.add(parsed, row: row, problems: &problems)
                builders[parsed.contract] = builder
            } else {
                builders[parsed.contract] = ContractBuilder(first: parsed)
                order.append(parsed.contract)
            }
        }
        var byAsset: [String: [FuturesContract]] = [:]
        for name in order {
            let builder = builders[name]!
            byAsset[builder.asset, default: []].append(builder.contract(priceDates: prices.dates))
        }
        for (asset, contracts) in byAsset.sorted(by: { $0.key < $1.key }) where contracts.count > mostContracts {
            try problems.report(DatasetError(file: file, rule: .tooManyContracts(asset: asset, limit: mostContracts)))
        }
        return byAsset
    }

    /// One parsed row.
    fileprivate struct Parsed {
        let date: Timestamp
        let dateText: String
        let asset: String
        let contract: String
        let expiry: Timestamp
        let expiryText: String
        let close: Double?
        let settlement: FuturesSettlement
    }

    /// A record with its columns located.
    private typealias Row = CSVTable.LongFormRow

    /// One contract's rows, checked against its first row.
    private struct ContractBuilder {
        let asset: String
        let name: String
        let expiry: Timestamp
        let expiryText: String
        let settlement: FuturesSettlement
        var lastDate: Timestamp
        var lastDateText: String
        var dates: [Timestamp] = []
        var closes: [Double] = []

        init(first: Parsed) {
            asset = first.asset
            name = first.contract
            expiry = first.expiry
            expiryText = first.expiryText
            settlement = first.settlement
            lastDate = first.date
            lastDateText = first.dateText
            if let close = first.close {
                dates.append(first.date)
                closes.append(close)
            }
        }

        mutating func add(_ parsed: Parsed, row: Row, problems: inout ProblemCollector) throws {
            let changed: (column: String, DatasetError.Rule)? =
                if parsed.asset != asset {
                    ("asset", .contractChanged(contract: name, field: "asset", value: parsed.asset, first: asset))
                } else if parsed.expiry != expiry {
                    ("expiry", .contractChanged(contract: name, field: "expiry", value: parsed.expiryText, first: expiryText))
                } else if parsed.settlement != settlement {
                    (
                        "settlement",
                        .contractChanged(
                            contract: name, field: "settlement", value: parsed.settlement.rawValue, first: settlement.rawValue)
                    )
                } else if parsed.date == lastDate {
                    ("date", .duplicateContractDate(contract: name, date: parsed.dateText))
                } else if parsed.date < lastDate {
                    ("date", .unsortedContractDate(contract: name, date: parsed.dateText, previous: lastDateText))
                } else {
                    nil
                }
            if let (column, rule) = changed {
                try problems.report(row.problem(column, rule))
                return
            }
            lastDate = parsed.date
            lastDateText = parsed.dateText
            if let close = parsed.close {
                dates.append(parsed.date)
                closes.append(close)
            }
        }

        /// The contract with its closes joined as of the price rows: the row of a close is
        /// the first price row dated on or after it; of several closes reaching one row the
        /// latest wins.
        func contract(priceDates: [Timestamp]) -> FuturesContract {
            var rows: [Int] = []
            var values: [Double] = []
            var cursor = 0
            for (date, close) in zip(dates, closes) {
                while cursor < priceDates.count && priceDates[cursor] < date { cursor += 1 }
                guard cursor < priceDates.count else { break }
                if rows.last == cursor {
                    values[values.count - 1] = close
                } else {
                    rows.append(cursor)
                    values.append(close)
                }
            }
            return FuturesContract(name: name, expiry: expiry, settlement: settlement, rows: rows[...], closes: values[...])
        }
    }
}

extension CSVTable.LongFormRow {
    /// The row's values, or nil (with its problems reported) when a field breaks a rule.
    fileprivate func parseFutures(knownAssets: [String], problems: inout ProblemCollector) throws -> FuturesReader.Parsed? {
        var broken = false
        func report(_ name: String, _ rule: DatasetError.Rule) throws {
            broken = true
            try problems.report(problem(name, rule))
        }
        let dateText = field("date")!
        let date = Timestamp(parsing: dateText)
        if date == nil { try report("date", .unparsableDate(dateText)) }
        let asset = field("asset")!
        if !knownAssets.contains(asset) { try report("asset", .unknownAsset(asset)) }
        let contract = field("contract")!
        if contract.isEmpty { try report("contract", .emptyField("contract")) }
        let expiryText = field("expiry")!
        let expiry = Timestamp(parsing: expiryText)
        if expiry == nil { try report("expiry", .unparsableDate(expiryText)) }
        var close: Double?
        if let text = field("close"), !text.isEmpty {
            if let value = try number(text, column: "close", report: report) {
                let shown = date?.description ?? dateText
                if value <= 0 {
                    try report("close", .nonPositivePrice(value: text, asset: contract, date: shown))
                } else if !PriceTableReader.priceRange.contains(value) {
                    try report("close", .priceOutOfRange(value: text, asset: contract, date: shown))
                } else {
                    close = value
                }
            }
        }
        if let text = field("volume"), !text.isEmpty, let value = try number(text, column: "volume", report: report),
            value < 0
        {
            try report("volume", .invalidField(name: "volume", value: text, rule: "must not be negative"))
        }
        let settlementText = field("settlement") ?? ""
        let settlement = settlementText.isEmpty ? .linear : FuturesSettlement(rawValue: settlementText.lowercased())
        if settlement == nil { try report("settlement", .unknownSettlement(settlementText)) }
        guard !broken, let date, let expiry, let settlement else { return nil }
        if date > expiry {
            try report("date", .rowAfterExpiry(contract: contract, date: dateText, expiry: expiryText))
            return nil
        }
        return FuturesReader.Parsed(
            date: date, dateText: dateText, asset: asset, contract: contract, expiry: expiry, expiryText: expiryText,
            close: close, settlement: settlement)
    }
}
