import Support

/// A problem with a dataset directory, in the compiler-diagnostic form the contract asks for:
/// `prices.csv:14:3: price must be positive; found -1.2 for BTC on 2021-03-04`.
package struct DatasetError: ReportableError, Equatable, Sendable {
    /// The rules a dataset can break (contract section 1).
    package enum Rule: Equatable, Sendable {
        /// A required file does not exist (`prices.csv`, or a directory that is not one).
        case missingFile
        /// The path is not a readable regular UTF-8 file of a sane size (a directory, a
        /// device, too large, not UTF-8); the detail says which.
        case unreadable(String)
        /// The file starts with more than one UTF-8 byte-order mark.
        case repeatedByteOrderMark
        /// The file has no bytes, or no non-empty line.
        case emptyFile
        /// A header but no data rows.
        case noRows
        /// An import whose inputs hold no price row (an empty folder, files of headers only).
        case nothingToImport
        /// A quoted field is never closed.
        case unterminatedQuote
        /// The first header field is not `date`.
        case missingDateColumn(found: String)
        /// A column name appears twice.
        case duplicateColumn(String)
        /// A column name is empty.
        case emptyColumnName
        /// A row has a different number of fields from the header.
        case raggedRow(expected: Int, found: Int)
        /// A date in neither `YYYY-MM-DD` nor `YYYY-MM-DDTHH:MM:SSZ`.
        case unparsableDate(String)
        /// The same date as the row before.
        case duplicateDate(String)
        /// A date earlier than the row before.
        case unsortedDate(String, previous: String)
        /// A cell that is not a number.
        case unparsableNumber(String)
        /// NaN or infinity.
        case nonFinite(String)
        /// A price that is zero or negative.
        case nonPositivePrice(value: String, asset: String, date: String)
        /// A price outside `Dataset.priceRange` (returns between such prices overflow).
        case priceOutOfRange(value: String, asset: String, date: String)
        /// An asset column named like the cash line of the weights file.
        case assetNamedLikeCash(String)
        /// An empty price cell after the asset's first price.
        case gapAfterListing(asset: String, date: String, listed: String)
        /// An asset column with no price at all.
        case neverListed(String)
        /// A column of `funding.csv` (or a key of `dataset.yaml`) naming an asset that
        /// `prices.csv` does not have.
        case unknownAsset(String)
        /// A `funding.csv` date that is not a date of `prices.csv`.
        case dateNotInPrices(String)
        /// An `ohlcv.csv` date that is not a date of `prices.csv`.
        case volumeDateNotInPrices(String)
        /// Two `ohlcv.csv` rows for one asset on one date.
        case duplicateAssetDate(asset: String, date: String)
        /// `dataset.yaml` is not valid YAML or not a mapping.
        case malformedConfig(String)
        /// A key `dataset.yaml` does not define.
        case unknownConfigKey(String)
        /// A value of `dataset.yaml` that breaks its rule.
        case invalidConfigValue(key: String, value: String, rule: String)
        /// An import file whose name does not follow its format's pattern.
        case unrecognisedFileName(expected: String)
        /// An import file's header is not the format's.
        case unexpectedHeader(expected: String, found: String)
        /// A time that is not a UTC midnight where a daily row is required.
        case notDaily(String)
        /// Two import files give the same asset name from different symbols.
        case conflictingAssetName(String, first: String, second: String)
        /// A header column a long-form file does not define.
        case unknownColumn(String, allowed: [String])
        /// A required column of a long-form file is absent.
        case missingColumn(String)
        /// A required field is empty.
        case emptyField(String)
        /// A field that breaks its own rule (`volume` must not be negative).
        case invalidField(name: String, value: String, rule: String)
        /// A `settlement` other than `linear` or `inverse`.
        case unknownSettlement(String)
        /// A futures row dated after its contract's expiry.
        case rowAfterExpiry(contract: String, date: String, expiry: String)
        /// A contract whose underlying, expiry or settlement differs from its first row's.
        case contractChanged(contract: String, field: String, value: String, first: String)
        /// A contract with two rows on one date.
        case duplicateContractDate(contract: String, date: String)
        /// A contract's row dated before its previous row.
        case unsortedContractDate(contract: String, date: String, previous: String)
        /// An asset of kind `future` with no qualifying contract on a row after its first.
        case noQualifyingContract(asset: String, date: String, rollDays: Int)
        /// The value of an asset held through its rolled futures leaves the price range.
        case heldValueOutOfRange(asset: String, date: String)
        /// An underlying with more contracts than the reader accepts.
        case tooManyContracts(asset: String, limit: Int)
    }

    /// The file's path as the user gave the directory.
    package let file: String
    /// 1-based line, or nil for a problem with the whole file.
    package let line: Int?
    /// 1-based field (the date column is 1), or nil.
    package let column: Int?
    /// The rule broken.
    package let rule: Rule

    package init(file: String, line: Int? = nil, column: Int? = nil, rule: Rule) {
        self.file = file
        self.line = line
        self.column = column
        self.rule = rule
    }

    /// Whether the problem is a missing input (exit 66) rather than bad data (exit 65).
    package var isMissingInput: Bool { rule == .missingFile }

    /// 66 for a missing file, 65 for everything else.
    package var exitStatus: Int32 { isMissingInput ? ExitStatus.missingInput : ExitStatus.badData }

    package var description: String {
        var place = file
        if let line { place += ":\(line)" }
        if let column { place += ":\(column)" }
        return "\(place): \(message) [\(slug)]"
    }

    /// The rule's short name, for scripts and tests (`not-finite`, `gap-after-listing`).
    package var slug: String {
        switch rule {
        case .missingFile: "missing-file"
        case .emptyFile: "empty-file"
        case .noRows: "no-rows"
        case .nothingToImport: "nothing-to-import"
        case .unterminatedQuote: "unterminated-quote"
        case .missingDateColumn: "missing-date-column"
        case .duplicateColumn: "duplicate-column"
        case .emptyColumnName: "empty-column-name"
        case .raggedRow: "ragged-row"
        case .unparsableDate: "unparsable-date"
        case .duplicateDate: "duplicate-date"
        case .unsortedDate: "unsorted-date"
        case .unparsableNumber: "unparsable-number"
        case .nonFinite: "not-finite"
        case .nonPositivePrice: "non-positive-price"
        case .priceOutOfRange: "price-out-of-range"
        case .assetNamedLikeCash: "asset-named-like-cash"
        case .gapAfterListing: "gap-after-listing"
        case .neverListed: "never-listed"
        case .unknownAsset: "unknown-asset"
        case .dateNotInPrices: "funding-date-not-in-prices"
        case .volumeDateNotInPrices: "ohlcv-date-not-in-prices"
        case .duplicateAssetDate: "duplicate-asset-date"
        case .malformedConfig: "malformed-config"
        case .unknownConfigKey: "unknown-key"
        case .invalidConfigValue(let key, _, _): key.hasPrefix("kind") ? "invalid-kind" : "invalid-value"
        case .unrecognisedFileName: "unrecognised-file-name"
        case .unexpectedHeader: "unexpected-header"
        case .notDaily: "not-daily"
        case .conflictingAssetName: "conflicting-asset-name"
        case .unreadable: "unreadable-file"
        case .repeatedByteOrderMark: "repeated-byte-order-mark"
        case .unknownColumn: "unknown-column"
        case .missingColumn: "missing-column"
        case .emptyField: "empty-field"
        case .invalidField: "invalid-field"
        case .unknownSettlement: "unknown-settlement"
        case .rowAfterExpiry: "row-after-expiry"
        case .contractChanged(_, let field, _, _): "\(field)-changed"
        case .duplicateContractDate: "duplicate-contract-date"
        case .unsortedContractDate: "unsorted-contract-date"
        case .noQualifyingContract: "no-qualifying-contract"
        case .heldValueOutOfRange: "held-value-out-of-range"
        case .tooManyContracts: "too-many-contracts"
        }
    }

    /// The rule in words, with the offending value.
    package var message: String {
        switch rule {
        case .missingFile: "file not found"
        case .unreadable(let detail): detail
        case .repeatedByteOrderMark:
            "the file starts with more than one UTF-8 byte-order mark (EF BB BF); at most one may open a file"
        case .emptyFile: "file is empty"
        case .noRows: "no data rows after the header"
        case .nothingToImport:
            "the inputs hold no price row (a folder without .csv files, or files without data rows); nothing written"
        case .unterminatedQuote: "a quoted field is never closed"
        case .missingDateColumn(let found): "the first column must be 'date'; found '\(found)'"
        case .duplicateColumn(let name): "column '\(name)' appears more than once"
        case .emptyColumnName: "column name is empty"
        case .raggedRow(let expected, let found): "row has \(found) fields; the header has \(expected)"
        case .unparsableDate(let text):
            "date must be YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (UTC); found '\(text)'"
        case .duplicateDate(let date): "duplicate date \(date); dates must be strictly increasing"
        case .unsortedDate(let date, let previous):
            "date \(date) comes after \(previous); dates must be strictly increasing"
        case .unparsableNumber(let text):
            text.contains(",")
                ? "not a number: '\(text)' (thousands separators are not allowed; write \(text.filter { $0 != "," }))"
                : "not a number: '\(text)'"
        case .nonFinite(let text):
            DecimalNumber.parse(text) == nil
                ? "value must be finite; found '\(text)'"
                : "value must be finite; found '\(text)', beyond Double's range (about 1.8e308)"
        case .nonPositivePrice(let value, let asset, let date): "price must be positive; found \(value) for \(asset) on \(date)"
        case .priceOutOfRange(let value, let asset, let date):
            "price must be between 1e-12 and 1e12; found \(value) for \(asset) on \(date)"
        case .assetNamedLikeCash(let name):
            "asset '\(name)' has the cash line's name; rename the column or set another `cash:` in dataset.yaml"
        case .gapAfterListing(let asset, let date, let listed):
            "missing price for \(asset) on \(date) after its first price on \(listed) (a gap after listing)"
        case .neverListed(let asset): "asset \(asset) has no price in any row"
        case .unknownAsset(let asset): "unknown asset '\(asset)': not a column of prices.csv"
        case .dateNotInPrices(let date), .volumeDateNotInPrices(let date): "date \(date) is not a date of prices.csv"
        case .duplicateAssetDate(let asset, let date): "\(asset) has two rows on \(date); one row per asset per date"
        case .malformedConfig(let detail): "not a valid dataset.yaml: \(detail)"
        case .unknownConfigKey(let key):
            "unknown key '\(key)'; valid keys: periods_per_year, cash, fee_bps, kind, roll_days, instrument, carry_window, implied_vol, volume_unit, impact_coefficient"
        case .invalidConfigValue(let key, let value, let rule): "\(key): \(rule); found '\(value)'"
        case .unrecognisedFileName(let expected): "file name does not match \(expected)"
        case .unexpectedHeader(let expected, let found): "header must be '\(expected)'; found '\(found)'"
        case .notDaily(let text): "time \(text) is not a UTC midnight; only daily rows can be imported"
        case .conflictingAssetName(let asset, let first, let second):
            "symbols \(first) and \(second) both give the asset name \(asset)"
        case .unknownColumn(let name, let allowed):
            "unknown column '\(name)'; the columns are \(allowed.joined(separator: ", "))"
        case .missingColumn(let name): "the column '\(name)' is required"
        case .emptyField(let name): "\(name) must not be empty"
        case .invalidField(let name, let value, let rule): "\(name) \(rule); found '\(value)'"
        case .unknownSettlement(let text): "settlement must be linear or inverse; found '\(text)'"
        case .rowAfterExpiry(let contract, let date, let expiry):
            "\(contract) has a row on \(date), after its expiry \(expiry)"
        case .contractChanged(let contract, let field, let value, let first):
            "\(contract)'s \(field) is \(value) here but \(first) on its first row; a contract's \(field) never changes"
        case .duplicateContractDate(let contract, let date):
            "\(contract) has two rows on \(date); a contract's dates must be strictly increasing"
        case .unsortedContractDate(let contract, let date, let previous):
            "\(contract)'s date \(date) comes after \(previous); a contract's dates must be strictly increasing"
        case .noQualifyingContract(let asset, let date, let rollDays):
            "no contract of \(asset) can be held on \(date) (none with a price expires more than \(rollDays) days later); an asset of kind future must have one on every date after its first"
        case .heldValueOutOfRange(let asset, let date):
            "the value of \(asset) held through its rolled futures leaves 1e-12 .. 1e12 on \(date)"
        case .tooManyContracts(let asset, let limit): "\(asset) has more than \(limit) contracts"
        }
    }
}
