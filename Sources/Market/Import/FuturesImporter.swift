import Support

/// Converts Databento daily OHLCV bars of CME futures (GLBX.MDP3 `ohlcv-1d` CSV:
/// `ts_event,rtype,publisher_id,instrument_id,open,high,low,close,volume,symbol`) into
/// `futures.csv` (contract section 1), the source `../shared/data/PROVENANCE.md` names for the
/// real file. Rules (`Tests/MarketTests/Fixtures/import/README.md`):
///
/// - A bar's date is its `ts_event`, which must be a UTC midnight. Calendar spreads (symbols
///   with `-`) are skipped and counted in a warning.
/// - A symbol is ROOT + month code (F G H J K M N Q U V X Z = January..December) + the year's
///   last one or two digits, resolved as the first such year not before the contract's first
///   bar. The root names the underlying: MBT and BTC are BTC, MET and ETH are ETH.
/// - The expiry is the contract month's last Friday (CME's rule for both products), moved to
///   the Thursday before when the contract's last bar is that Thursday while later bars of
///   other contracts exist (trading stopped early for a holiday Friday).
/// - `close` and `volume` are copied as the vendor wrote them, without trailing zeros after
///   the decimal point; a close must be a positive number, a volume a non-negative one; one
///   bar per contract per day.
/// Rows are written sorted by date, then contract, with `settlement` omitted (CME's are
/// linear). Any error stops the import before anything is written.
package enum FuturesImporter {
    /// The header of a Databento OHLCV CSV.
    static let header = "ts_event,rtype,publisher_id,instrument_id,open,high,low,close,volume,symbol"
    /// Product roots and the underlying asset they name.
    package static let roots = ["MBT": "BTC", "BTC": "BTC", "MET": "ETH", "ETH": "ETH"]
    static let monthCodes = Array("FGHJKMNQUVXZ")

    /// One outright bar.
    private struct Bar {
        let day: Int
        let close: String
        let volume: String
    }

    /// `futures.csv` from the bars in `files`.
    /// - Throws: `DatasetError` naming the file, line and column of the first bad bar.
    package static func run(files: [String]) throws(DatasetError) -> PriceImporter.Result {
        var bars: [String: [Bar]] = [:]
        var barDays: [String: Set<Int>] = [:]
        var assets: [String: String] = [:]
        var spreads = 0
        for file in files {
            let text = try PriceImporter.read(file)
            let table: CSVTable
            do { table = try CSVTable(parsing: text) } catch {
                guard case .unterminatedQuote(let line) = error else { continue }
                throw DatasetError(file: file, line: line, rule: .unterminatedQuote)
            }
            guard let first = table.records.first else { throw DatasetError(file: file, line: 1, rule: .emptyFile) }
            let found = first.fields.map(trimmed).joined(separator: ",")
            guard found == header else {
                throw DatasetError(file: file, line: first.line, rule: .unexpectedHeader(expected: header, found: found))
            }
            for record in table.records.dropFirst() {
                guard record.fields.count == 10 else {
                    throw DatasetError(
                        file: file, line: record.line, column: min(record.fields.count, 10) + 1,
                        rule: .raggedRow(expected: 10, found: record.fields.count))
                }
                guard let (symbol, asset, bar) = try parseBar(record, file: file) else {
                    spreads += 1
                    continue
                }
                let day = bar.day
                guard barDays[symbol, default: []].insert(day).inserted else {
                    throw DatasetError(
                        file: file, line: record.line, column: 1,
                        rule: .duplicateContractDate(contract: symbol, date: date(day)))
                }
                bars[symbol, default: []].append(bar)
                assets[symbol] = asset
            }
        }
        guard !bars.isEmpty else { throw DatasetError(file: files.joined(separator: ", "), rule: .nothingToImport) }
        let lastDay = bars.values.flatMap { $0.map(\.day) }.max() ?? 0
        var rows: [(day: Int, contract: String, line: String)] = []
        for (symbol, contractBars) in bars {
            let days = contractBars.map(\.day)
            let expiry = expiryDay(of: symbol, firstDay: days.min()!, lastBarDay: days.max()!, lastDay: lastDay)
            let expiryText = date(expiry)
            for bar in contractBars {
                rows.append(
                    (bar.day, symbol, "\(date(bar.day)),\(assets[symbol]!),\(symbol),\(expiryText),\(bar.close),\(bar.volume)"))
            }
        }
        rows.sort { a, b in
            a.day != b.day ? a.day < b.day : Array(a.contract.utf8).lexicographicallyPrecedes(Array(b.contract.utf8))
        }
        var files = DatasetFiles()
        files.files["futures.csv"] = "date,asset,contract,expiry,close,volume\n" + rows.map { $0.line + "\n" }.joined()
        return PriceImporter.Result(
            files: files, warnings: spreads > 0 ? ["skipped \(spreads) calendar-spread bar(s) (symbols with '-')"] : [])
    }

    /// One bar of a Databento record (ten fields, checked): its contract, the asset of the
    /// contract's root, the bar; nil for a calendar spread (a symbol with `-`).
    /// - Throws: `DatasetError` at the field that breaks a rule.
    private static func parseBar(_ record: CSVTable.Record, file: String) throws(DatasetError) -> (String, String, Bar)? {
        let symbol = trimmed(record.fields[9])
        if symbol.contains("-") { return nil }
        let timeText = trimmed(record.fields[0])
        guard let time = Timestamp(parsing: timeText) else {
            throw DatasetError(file: file, line: record.line, column: 1, rule: .unparsableDate(timeText))
        }
        guard time.secondsSinceEpoch % 86_400 == 0 else {
            throw DatasetError(file: file, line: record.line, column: 1, rule: .notDaily(timeText))
        }
        guard let root = root(of: symbol), let asset = roots[root] else {
            throw DatasetError(
                file: file, line: record.line, column: 10,
                rule: .invalidField(
                    name: "symbol", value: symbol,
                    rule:
                        "must be a CME outright of \(roots.keys.sorted().joined(separator: ", ")) (ROOT, month code, year)"
                ))
        }
        let close = withoutTrailingZeros(trimmed(record.fields[7]))
        let volume = withoutTrailingZeros(trimmed(record.fields[8]))
        let day = time.dayNumber
        guard let value = DecimalNumber.parse(close), value.isFinite else {
            throw DatasetError(file: file, line: record.line, column: 8, rule: .unparsableNumber(close))
        }
        guard value > 0 else {
            throw DatasetError(
                file: file, line: record.line, column: 8,
                rule: .nonPositivePrice(value: close, asset: symbol, date: time.day.description))
        }
        guard let amount = DecimalNumber.parse(volume), amount >= 0 else {
            throw DatasetError(
                file: file, line: record.line, column: 9,
                rule: .invalidField(name: "volume", value: volume, rule: "must be a non-negative number"))
        }
        return (symbol, asset, Bar(day: day, close: close, volume: volume))
    }

    /// The root of an outright symbol (`MBT` of `MBTZ1`), or nil when it is not ROOT + month
    /// code + 1 or 2 digits.
    static func root(of symbol: String) -> String? {
        let characters = Array(symbol)
        let digits = characters.reversed().prefix { $0.isASCII && $0.isNumber }.count
        guard (1...2).contains(digits), characters.count > digits + 1,
            monthCodes.contains(characters[characters.count - digits - 1])
        else { return nil }
        return String(characters[..<(characters.count - digits - 1)])
    }

    /// The expiry day of `symbol` (the rules above).
    private static func expiryDay(of symbol: String, firstDay: Int, lastBarDay: Int, lastDay: Int) -> Int {
        let characters = Array(symbol)
        let digits = characters.reversed().prefix { $0.isNumber }.count
        let yearDigits = Int(String(characters.suffix(digits)))!
        let month = monthCodes.firstIndex(of: characters[characters.count - digits - 1])! + 1
        let modulus = digits == 1 ? 10 : 100
        let firstYear = Timestamp(secondsSinceEpoch: Int64(firstDay) * 86_400, isDateOnly: true).civilDate.year
        var year = firstYear
        while year % modulus != yearDigits { year += 1 }
        let lastFriday = SyntheticFutures.lastFridays(
            from: Timestamp(year: year, month: month, day: 1), through: Timestamp(year: year, month: month, day: 1)
        ).first!.dayNumber
        if lastBarDay == lastFriday - 1 && lastDay > lastFriday { return lastFriday - 1 }
        return lastFriday
    }

    private static func date(_ day: Int) -> String {
        Timestamp(secondsSinceEpoch: Int64(day) * 86_400, isDateOnly: true).description
    }

    /// `4200.500000000` as `4200.5`, `12.000` as `12`; other text unchanged.
    static func withoutTrailingZeros(_ text: String) -> String {
        guard text.contains("."), !text.contains("e"), !text.contains("E") else { return text }
        var result = Substring(text)
        while result.last == "0" { result.removeLast() }
        if result.last == "." { result.removeLast() }
        return String(result)
    }
}
