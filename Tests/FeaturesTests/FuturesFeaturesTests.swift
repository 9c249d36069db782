import Features
import Foundation
import Market
import TestSupport
import Testing

/// The dated-futures features (contract section 7): against an independent computation on
/// the real CME file (`Fixtures/futures-basis-expected.json`, made by
/// `scripts/fixtures/make_basis_fixtures.py`), and free of look-ahead when the future of the
/// futures file is rewritten.
@Suite("Futures features")
struct FuturesFeaturesTests {
    static let realData = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../shared/data/crypto-daily").standardized.path
    static let present = FileManager.default.fileExists(atPath: realData + "/futures.csv")

    struct Expected: Decodable {
        struct Close: Decodable {
            let first_date: String
            let first_close: Double
            let last_date: String
            let last_close: Double
        }
        struct Row: Decodable {
            let date: String
            let contract: String
            let days_to_expiry: Double
            let basis: Double
            let basis_annual: Double
            let cm30: Double?
            let cm90: Double?
            let roll_yield: Double?
        }
        let closes_used: [String: Close]
        let roll_days: Int
        let tenors: [Int]
        let series: [String: [Row]]
    }

    static var spec: FeatureSpec {
        var spec = FeatureSpec()
        spec.basisTenors = [30, 90]
        return spec
    }

    @Test(
        "basis, annualised basis, days to expiry, roll yield and the 30- and 90-day constant-maturity basis on the real CME file",
        .enabled(if: present, "../shared/data/crypto-daily is absent (it is not shipped with the project)"))
    func realFile() throws {
        let expected = try JSONDecoder().decode(
            Expected.self, from: Data(contentsOf: Fixtures.url("futures-basis-expected.json")))
        let dataset = try DatasetReader.load(directory: Self.realData)
        #expect(expected.roll_days == DatasetConfig.defaultRollDays && expected.tenors == [30, 90])
        let table = FeatureBuilder.compute(dataset, spec: Self.spec)
        let names = ["basis", "basis_annual", "days_to_expiry", "roll_yield", "basis_cm30", "basis_cm90"]
        let columns = try names.map { name in try #require(table.assetFeatures.firstIndex(of: name)) }
        for (assetName, rows) in expected.series.sorted(by: { $0.key < $1.key }) {
            let asset = try #require(dataset.assets.firstIndex(of: assetName))
            let closes = try #require(expected.closes_used[assetName])
            let firstDate = try #require(Timestamp(parsing: closes.first_date))
            let firstRow = try #require(dataset.row(at: firstDate))
            #expect(dataset.spotClose(row: firstRow, asset: asset) == closes.first_close, "the data file is not the fixture's")
            let chain = try #require(dataset.futuresChain(of: assetName))
            #expect(rows.count > 300)
            for reference in rows {
                let date = try #require(Timestamp(parsing: reference.date))
                let row = try #require(dataset.row(at: date))
                #expect(chain.heldContract(atRow: row)?.name == reference.contract, "\(assetName) \(reference.date)")
                let wanted: [Double?] = [
                    reference.basis, reference.basis_annual, reference.days_to_expiry, reference.roll_yield, reference.cm30,
                    reference.cm90,
                ]
                for (k, column) in columns.enumerated() {
                    let value = table.value(row: row, asset: asset, feature: column)
                    if let target = wanted[k] {
                        let found = try #require(value, "\(assetName) \(reference.date) \(names[k]) missing")
                        #expect(Swift.abs(found - target) <= 1e-12, "\(assetName) \(reference.date) \(names[k])")
                    } else {
                        #expect(value == nil, "\(assetName) \(reference.date) \(names[k]) should be missing")
                    }
                }
            }
        }
        // Assets without contracts have the columns, all missing.
        let sol = try #require(dataset.assets.firstIndex(of: "SOL"))
        #expect((0..<dataset.rowCount).allSatisfy { table.value(row: $0, asset: sol, feature: columns[0]) == nil })
    }

    @Test("without basis_tenors the feature set is unchanged (models trained before futures load as they were)")
    func optIn() {
        #expect(!FeatureSpec().assetFeatureNames.contains("basis"))
        #expect(
            Self.spec.assetFeatureNames.suffix(6) == [
                "basis", "basis_annual", "days_to_expiry", "roll_yield", "basis_cm30", "basis_cm90",
            ])
        var bad = FeatureSpec()
        bad.basisTenors = [30, 30]
        #expect(!bad.problems.isEmpty)
        bad.basisTenors = []
        #expect(!bad.problems.isEmpty)
    }

    /// The synthetic market with futures, and the same files with everything after `cutoff`
    /// rewritten: later futures closes scaled, a new contract listed after the cutoff that
    /// would be the front one, later spot prices scaled.
    static func markets(cutoff: String) throws -> (Dataset, Dataset) {
        let files = SyntheticMarket(assets: 4, periods: 300, seed: 9, futures: 2).files
        var rewritten = files
        let cut = try #require(Timestamp(parsing: cutoff))
        func later(_ line: Substring) -> Bool { Timestamp(parsing: line.prefix(10)).map { $0 > cut } ?? false }
        rewritten.files["futures.csv"] =
            files.files["futures.csv"]!.split(separator: "\n").map { line in
                guard later(line) else { return String(line) }
                var fields = line.split(separator: ",").map(String.init)
                fields[4] = DatasetFiles.number(Double(fields[4])! * 1.7, significant: 8)
                return fields.joined(separator: ",")
            }.joined(separator: "\n") + "\n"
            + (1...20).map {
                "\(Timestamp(secondsSinceEpoch: cut.secondsSinceEpoch + Int64($0) * 86_400, isDateOnly: true)),SYN4,NEW,\(Timestamp(secondsSinceEpoch: cut.secondsSinceEpoch + 30 * 86_400, isDateOnly: true)),1\n"
            }
            .joined()
        rewritten.files["prices.csv"] =
            files.files["prices.csv"]!.split(separator: "\n").map { line in
                guard later(line) else { return String(line) }
                return line.split(separator: ",", omittingEmptySubsequences: false).enumerated().map { index, field in
                    index == 0 || field.isEmpty ? String(field) : DatasetFiles.number(Double(field)! * 0.6, significant: 8)
                }.joined(separator: ",")
            }.joined(separator: "\n") + "\n"
        let load = { (files: DatasetFiles) in
            let directory = try Fixtures.temporaryDirectory()
            try files.write(to: directory)
            return try DatasetReader.load(directory: directory.path)
        }
        return (try load(files), try load(rewritten))
    }

    @Test("rewriting the futures file and prices after t leaves the held value, rolls and every feature at or before t unchanged")
    func noLookAhead() throws {
        let (original, changed) = try Self.markets(cutoff: "2018-09-20")
        let cutoff = try #require(Timestamp(parsing: "2018-09-20"))
        let row = try #require(original.row(at: cutoff))
        let before = FeatureBuilder.compute(original, spec: Self.spec)
        let after = FeatureBuilder.compute(changed, spec: Self.spec)
        let width = original.assets.count * before.assetFeatures.count
        let bits = { (values: ArraySlice<Double>) in values.map(\.bitPattern) }
        #expect(bits(before.assetValues[..<((row + 1) * width)]) == bits(after.assetValues[..<((row + 1) * width)]))
        #expect(bits(original.prices[..<((row + 1) * 4)]) == bits(changed.prices[..<((row + 1) * 4)]))
        #expect((0...row).allSatisfy { original.rolls(atRow: $0) == changed.rolls(atRow: $0) })
        // The rewrite really moved the future (so the test can fail).
        #expect(bits(before.assetValues[((row + 1) * width)...]) != bits(after.assetValues[((row + 1) * width)...]))
        #expect(original.futuresChain(of: "SYN4")?.heldContract(atRow: row + 5)?.name != "NEW")
        #expect(changed.futuresChain(of: "SYN4")?.heldContract(atRow: row + 5)?.name == "NEW")
    }
}
