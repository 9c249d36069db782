import Foundation
import TestSupport
import Testing

/// `regimen data ...` and `regimen features` as a user runs them: exit statuses, messages,
/// and no output file on failure.
@Suite("regimen data and features")
struct DataCommandTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..")
        .standardized
    static let marketFixtures = repository.appendingPathComponent("Tests/MarketTests/Fixtures")

    @Test("validate on the committed synthetic default succeeds with a summary on stderr")
    func validateSynthetic() throws {
        let run = try Executables.run(
            "regimen", ["data", "validate", "--data", Self.repository.appendingPathComponent("data/synthetic").path])
        #expect(run.status == 0)
        #expect(run.standardError.contains("assets: 8 (SYN1, SYN2, SYN3, SYN4, SYN5, SYN6, SYN7, SYN8)"))
        #expect(run.standardError.contains("periods per year: 365 (from dataset.yaml)"))
        #expect(run.standardOutput.isEmpty)
    }

    @Test("validate reports bad data with exit 65 and a missing prices.csv with exit 66")
    func validateExitStatus() throws {
        let bad = try Executables.run(
            "regimen", ["data", "validate", "--data", Self.marketFixtures.appendingPathComponent("bad/nan").path])
        #expect(bad.status == 65)
        #expect(bad.standardError.contains("prices.csv:6:3: value must be finite; found 'NaN' [not-finite]"))
        let missing = try Executables.run(
            "regimen", ["data", "validate", "--data", Self.marketFixtures.appendingPathComponent("bad/missing-prices").path])
        #expect(missing.status == 66)
        #expect(missing.standardError.contains("prices.csv: file not found [missing-file]"))
    }

    /// A fresh synthetic dataset (4 assets, 60 days) and a copy of its file listing.
    static func synthetic() throws -> (URL, [String]) {
        let directory = try Fixtures.temporaryDirectory().appendingPathComponent("data")
        let run = try Executables.run(
            "regimen", ["data", "synth", "--out", directory.path, "--assets", "4", "--periods", "60", "--seed", "5"])
        #expect(run.status == 0, "\(run.standardError)")
        return (directory, try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted())
    }

    /// Replaces field `column` (0 is the date) of the 1-based data `row` of `file`.
    static func setCell(_ file: URL, row: Int, column: Int, to text: String) throws {
        var lines = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
        var fields = lines[row].components(separatedBy: ",")
        fields[column] = text
        lines[row] = fields.joined(separator: ",")
        try Data(lines.joined(separator: "\n").utf8).write(to: file)
    }

    @Test("validate reads 200-digit decimals and refuses one beyond Double's range, naming place and rule")
    func validateLongDecimals() throws {
        let (data, listing) = try Self.synthetic()
        let features = data.appendingPathComponent("features.csv")
        try Self.setCell(features, row: 3, column: 2, to: "1" + String(repeating: "0", count: 199))
        try Self.setCell(features, row: 4, column: 1, to: "0." + String(repeating: "0", count: 199) + "1")
        let long = try Executables.run("regimen", ["data", "validate", "--data", data.path])
        #expect(long.status == 0, "\(long.standardError)")
        try Self.setCell(features, row: 5, column: 2, to: "1" + String(repeating: "0", count: 400))
        let beyond = try Executables.run("regimen", ["data", "validate", "--data", data.path])
        #expect(beyond.status == 65)
        #expect(beyond.standardError.contains("features.csv:6:3: value must be finite"), "\(beyond.standardError)")
        #expect(beyond.standardError.contains("[not-finite]"), "\(beyond.standardError)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: data.path).sorted() == listing)
    }

    @Test("validate accepts one byte-order mark and refuses two (65, file, line 1, rule)")
    func validateByteOrderMarks() throws {
        let (data, listing) = try Self.synthetic()
        let prices = data.appendingPathComponent("prices.csv")
        let plain = try Data(contentsOf: prices)
        let mark = Data([0xEF, 0xBB, 0xBF])
        // Negative control: one mark is what spreadsheets write, and is accepted.
        try (mark + plain).write(to: prices)
        let one = try Executables.run("regimen", ["data", "validate", "--data", data.path])
        #expect(one.status == 0, "\(one.standardError)")
        try (mark + mark + plain).write(to: prices)
        let two = try Executables.run("regimen", ["data", "validate", "--data", data.path])
        #expect(two.status == 65)
        #expect(two.standardError.contains("prices.csv:1:1: "), "\(two.standardError)")
        #expect(two.standardError.contains("[repeated-byte-order-mark]"), "\(two.standardError)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: data.path).sorted() == listing)
    }

    @Test("synth writes the same bytes for the same seed")
    func synth() throws {
        let directory = try Fixtures.temporaryDirectory()
        for name in ["a", "b"] {
            let run = try Executables.run(
                "regimen",
                [
                    "data", "synth", "--out", directory.appendingPathComponent(name).path, "--assets", "3", "--periods", "60",
                    "--seed", "9",
                ])
            #expect(run.status == 0)
        }
        for file in ["prices.csv", "funding.csv", "features.csv", "regimes.csv", "dataset.yaml", "ohlcv.csv"] {
            let a = try Data(contentsOf: directory.appendingPathComponent("a/\(file)"))
            #expect(a == (try Data(contentsOf: directory.appendingPathComponent("b/\(file)"))), "\(file)")
        }
        let usage = try Executables.run("regimen", ["data", "synth", "--out", directory.path, "--assets", "1"])
        #expect(usage.status == 64)
        #expect(usage.standardError.contains("--assets must be from 2 to 500; found 1"))
    }

    @Test("features writes the long CSV for a date range; bad data writes nothing")
    func features() throws {
        let directory = try Fixtures.temporaryDirectory()
        let out = directory.appendingPathComponent("features.csv")
        let mini = Self.repository.appendingPathComponent("Tests/FeaturesTests/Fixtures/mini").path
        let run = try Executables.run(
            "regimen", ["features", "--data", mini, "--from", "2021-03-01", "--to", "2021-03-02", "--out", out.path])
        #expect(run.status == 0)
        let lines = try String(contentsOf: out, encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "date,asset,feature,value")
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix("2021-03-01,") || $0.hasPrefix("2021-03-02,") })
        #expect(lines.contains { $0.hasPrefix("2021-03-01,,mkt_ret,") })
        #expect(lines.contains { $0.hasPrefix("2021-03-02,CCC,vol_20,") })

        let badOut = directory.appendingPathComponent("bad.csv")
        let bad = try Executables.run(
            "regimen",
            [
                "features", "--data", Self.marketFixtures.appendingPathComponent("bad/gap-after-listing").path, "--out",
                badOut.path,
            ])
        #expect(bad.status == 65)
        #expect(!FileManager.default.fileExists(atPath: badOut.path))
        let badDate = try Executables.run("regimen", ["features", "--data", mini, "--from", "March 1", "--out", badOut.path])
        #expect(badDate.status == 64)
        #expect(badDate.standardError.contains("--from must be a date YYYY-MM-DD; found 'March 1'"))
    }

    @Test("features --spec refuses an exogenous column features.csv lacks (65, naming column and file); nothing written")
    func featuresUnknownExogenous() throws {
        let (data, _) = try Self.synthetic()
        let directory = data.deletingLastPathComponent()
        let spec = directory.appendingPathComponent("spec.yaml")
        let out = directory.appendingPathComponent("f.csv")
        let arguments = ["features", "--data", data.path, "--spec", spec.path, "--out", out.path]
        // Negative control: a column the file has is kept, the other left out.
        try "exogenous: [IV_INDEX]\n".write(to: spec, atomically: true, encoding: .utf8)
        let known = try Executables.run("regimen", arguments)
        #expect(known.status == 0, "\(known.standardError)")
        let written = try String(contentsOf: out, encoding: .utf8)
        #expect(written.contains(",,IV_INDEX,") && !written.contains(",,MACRO,"))
        try FileManager.default.removeItem(at: out)
        try "exogenous: [IV_INDEX, VIX]\n".write(to: spec, atomically: true, encoding: .utf8)
        let unknown = try Executables.run("regimen", arguments)
        #expect(unknown.status == 65, "\(unknown.standardError)")
        #expect(unknown.standardError.contains("\(spec.path): exogenous names 'VIX'"), "\(unknown.standardError)")
        #expect(unknown.standardError.contains("\(data.path)/features.csv"), "\(unknown.standardError)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
        // Without a features.csv every named column is unknown.
        try FileManager.default.removeItem(at: data.appendingPathComponent("features.csv"))
        try "exogenous: [IV_INDEX]\n".write(to: spec, atomically: true, encoding: .utf8)
        let noFile = try Executables.run("regimen", arguments)
        #expect(noFile.status == 65, "\(noFile.standardError)")
        #expect(noFile.standardError.contains("exogenous names 'IV_INDEX'"), "\(noFile.standardError)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test("validate --model checks the model can read the data as the daily job will: a missing exogenous column is 65")
    func validateWithModel() throws {
        let directory = try Fixtures.temporaryDirectory()
        let data = directory.appendingPathComponent("data")
        let synth = try Executables.run(
            "regimen", ["data", "synth", "--out", data.path, "--assets", "3", "--periods", "300", "--seed", "5"])
        #expect(synth.status == 0, "\(synth.standardError)")
        let config = directory.appendingPathComponent("exo.yaml")
        try
            "regime_states: 2\nregime_restarts: 1\nhidden: [4]\nwindow: 10\nbatch: 4\nepochs: 1\nsteps_per_epoch: 2\nfeatures: {exogenous: [IV_INDEX]}\n"
            .write(to: config, atomically: true, encoding: .utf8)
        let models = directory.appendingPathComponent("models").path
        let trained = try Executables.run(
            "regimen", ["train", "--data", data.path, "--config", config.path, "--models", models, "--quiet"])
        #expect(trained.status == 0, "\(trained.standardError)")
        let check = ["data", "validate", "--data", data.path, "--model", "exo:1", "--models", models]
        // Negative control: the data the model was trained on pass.
        let sound = try Executables.run("regimen", check)
        #expect(sound.status == 0 && sound.standardError.contains("model exo:1 reads these data"), "\(sound.standardError)")
        // Drop IV_INDEX from features.csv: the data alone are still valid, the model cannot read them.
        let features = data.appendingPathComponent("features.csv")
        let rows = try String(contentsOf: features, encoding: .utf8).split(separator: "\n").map { line in
            line.split(separator: ",", omittingEmptySubsequences: false).enumerated().filter { $0.offset != 1 }.map(\.element)
                .joined(separator: ",")
        }
        try (rows.joined(separator: "\n") + "\n").write(to: features, atomically: true, encoding: .utf8)
        #expect(try Executables.run("regimen", ["data", "validate", "--data", data.path]).status == 0)
        let refused = try Executables.run("regimen", check)
        #expect(refused.status == 65, "\(refused.standardError)")
        #expect(
            refused.standardError.contains("\(data.path): model exo:1 needs feature 'IV_INDEX', which the data do not give"),
            "\(refused.standardError)")
        let badName = try Executables.run("regimen", ["data", "validate", "--data", data.path, "--model", "exo"])
        #expect(badName.status == 64 && badName.standardError.contains("--model must be NAME:VERSION or NAME@ALIAS"))
    }

    @Test("import converts an export and writes nothing when an input is bad")
    func importCommand() throws {
        let directory = try Fixtures.temporaryDirectory()
        let out = directory.appendingPathComponent("dataset")
        let yahoo = Self.marketFixtures.appendingPathComponent("import/yahoo").path
        let run = try Executables.run("regimen", ["data", "import", "--format", "yahoo", "--out", out.path, yahoo])
        #expect(run.status == 0)
        #expect(run.standardError.contains("warning:"))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("prices.csv").path))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("ohlcv.csv").path))
        // A dataset.yaml already there keeps its keys and gains the volume unit.
        let kept = directory.appendingPathComponent("kept")
        try FileManager.default.createDirectory(at: kept, withIntermediateDirectories: true)
        try "fee_bps: 10".write(to: kept.appendingPathComponent("dataset.yaml"), atomically: true, encoding: .utf8)
        #expect(try Executables.run("regimen", ["data", "import", "--format", "yahoo", "--out", kept.path, yahoo]).status == 0)
        let config = try String(contentsOf: kept.appendingPathComponent("dataset.yaml"), encoding: .utf8)
        #expect(config == "fee_bps: 10\nvolume_unit: quote\n")
        let missing = try Executables.run(
            "regimen",
            ["data", "import", "--format", "yahoo", "--out", directory.appendingPathComponent("none").path, "/nonexistent.csv"])
        #expect(missing.status == 66)
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("none").path))
        let format = try Executables.run("regimen", ["data", "import", "--format", "excel", "--out", out.path, yahoo])
        #expect(format.status == 64)
        #expect(format.standardError.contains("binance-klines"))
    }
}
