import Foundation
import TestSupport

/// The hostile inputs of issue 12, by family. Families that break the data run against
/// several commands, since each command reads the data on its own path.
enum HostileCases {
    static var all: [HostileCase] {
        pricesCases + datasetYAMLCases + fundingCases + futuresCases + limitsCases + modelCases + nameCases + outputCases
            + settingsCases + weightsCases + argumentCases + [inSampleCase]
    }

    typealias SetUp = @Sendable (HostileWorld) throws -> Void

    /// A YAML alias bomb: 10 levels of 10 references, 10^10 values once expanded.
    static let aliasBomb: String = {
        var lines = ["x0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"]
        for level in 1..<10 {
            lines.append("x\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]")
        }
        return lines.joined(separator: "\n") + "\n"
    }()
    static let deepFlow = "a: " + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "\n"
    static let deepBlock = (0..<200).map { String(repeating: " ", count: $0) + "k\($0):" }.joined(separator: "\n") + " 1\n"
    static let notUTF8: [UInt8] = [0x6D, 0x61, 0x78, 0x3A, 0x20, 0xFF, 0xFE, 0xC3, 0x28, 0x0A]

    // MARK: prices.csv

    static let pricesBreaks: [(String, SetUp, String)] = [
        ("hexadecimal price", { try $0.setPrice(row: 300, column: 1, to: "0x1p3") }, "not a number: '0x1p3'"),
        ("underscore in a price", { try $0.setPrice(row: 300, column: 1, to: "1_000") }, "not a number"),
        ("price of 1e308", { try $0.setPrice(row: 300, column: 1, to: "1e308") }, "price must be between"),
        ("price of 1e-300", { try $0.setPrice(row: 300, column: 1, to: "1e-300") }, "price must be between"),
        ("price overflowing to infinity", { try $0.setPrice(row: 300, column: 1, to: "1e400") }, "[not-finite]"),
        ("NaN price", { try $0.setPrice(row: 300, column: 2, to: "NaN") }, "[not-finite]"),
        ("negative price", { try $0.setPrice(row: 300, column: 2, to: "-5") }, "price must be positive"),
        ("zero price", { try $0.setPrice(row: 300, column: 2, to: "0") }, "price must be positive"),
        (
            "20 fraction digits in a time",
            {
                w in
                try w.editLines("prices.csv") {
                    $0[300] = $0[300].replacingOccurrences(
                        of: ",", with: "T00:00:00.99999999999999999999Z,", options: [], range: $0[300].range(of: ","))
                }
            }, "[unparsable-date]"
        ),
        (
            "31 February", { w in try w.editLines("prices.csv") { $0[300] = "2018-02-31" + $0[300].dropFirst(10) } },
            "[unparsable-date]"
        ),
        (
            "year 99999", { w in try w.editLines("prices.csv") { $0[300] = "99999-01-01" + $0[300].dropFirst(10) } },
            "[unparsable-date]"
        ),
        ("duplicate date", { w in try w.editLines("prices.csv") { $0[301] = $0[300] } }, "[duplicate-date]"),
        ("unsorted dates", { w in try w.editLines("prices.csv") { $0.swapAt(300, 301) } }, "[unsorted-date]"),
        ("ragged row", { w in try w.editLines("prices.csv") { $0[300] += ",1.0" } }, "[ragged-row]"),
        ("unterminated quote", { w in try w.editLines("prices.csv") { $0[300] = $0[300] + ",\"1" } }, "never closed"),
        (
            "an asset named like the cash line",
            { w in
                try w.editLines("prices.csv") { $0[0] = $0[0].replacingOccurrences(of: "SYN4", with: "CASH") };
                try w.write("periods_per_year: 365\n", to: w.data.appendingPathComponent("dataset.yaml"))
            }, "the cash line's name"
        ),
        ("empty prices.csv", { try $0.write("", to: $0.data.appendingPathComponent("prices.csv")) }, "[empty-file]"),
        ("header only", { try $0.write("date,SYN1\n", to: $0.data.appendingPathComponent("prices.csv")) }, "no data rows"),
        (
            "prices.csv not UTF-8", { try $0.write(bytes: notUTF8, to: $0.data.appendingPathComponent("prices.csv")) },
            "is not UTF-8 text"
        ),
        (
            "prices.csv is a directory", { try $0.makeDirectory(at: $0.data.appendingPathComponent("prices.csv")) },
            "is a directory"
        ),
        ("prices.csv is a FIFO", { try $0.makeFIFO(at: $0.data.appendingPathComponent("prices.csv")) }, "is not a regular file"),
    ]

    static var pricesCases: [HostileCase] {
        pricesBreaks.flatMap { name, setUp, message in
            [
                HostileCase(
                    name: "validate: \(name)", setUp: setUp, command: HostileCommand.validate, status: 65, message: message),
                HostileCase(name: "infer: \(name)", setUp: setUp, command: HostileCommand.infer(), status: 65, message: message),
                HostileCase(
                    name: "backtest: \(name)", setUp: setUp, command: HostileCommand.backtest, status: 65, message: message),
            ]
        } + [
            HostileCase(
                name: "validate: prices.csv missing",
                setUp: { try FileManager.default.removeItem(at: $0.data.appendingPathComponent("prices.csv")) },
                command: HostileCommand.validate, status: 66, message: "file not found"),
            HostileCase(
                name: "infer: no data folder", setUp: { try FileManager.default.removeItem(at: $0.data) },
                command: HostileCommand.infer(), status: 66, message: "file not found"),
        ]
    }

    // MARK: dataset.yaml

    static let datasetYAMLBreaks: [(String, String, String)] = [
        ("alias bomb", aliasBomb, "once aliases are expanded"),
        ("10,000-deep flow nesting", deepFlow, "nested deeper than 64"),
        ("200-deep block nesting", deepBlock, "nested deeper than 64"),
        ("duplicate key", "periods_per_year: 365\nperiods_per_year: 52\n", "key 'periods_per_year' appears twice"),
        ("periods_per_year 1e-300", "periods_per_year: 1e-300\n", "periods_per_year: must be a number from 1"),
        ("periods_per_year 1e300", "periods_per_year: 1e300\n", "periods_per_year: must be a number from 1"),
        ("periods_per_year zero", "periods_per_year: 0\n", "periods_per_year: must be a number from 1"),
        ("empty cash name", "cash: ''\n", "cash: must be a non-empty name"),
        ("unknown kind", "kind:\n  SYN1: option\n", "[invalid-kind]"),
        ("kind of an unknown asset", "kind:\n  BTC: spot\n", "[unknown-asset]"),
        ("unknown key", "period_per_year: 365\n", "[unknown-key]"),
        ("negative fee", "fee_bps: -3\n", "fee_bps"),
        ("not a mapping", "- 1\n- 2\n", "the top level must be a mapping"),
        ("invalid YAML", "a: [1, 2\n", "not valid YAML"),
    ]

    static var datasetYAMLCases: [HostileCase] {
        datasetYAMLBreaks.flatMap { name, text, message in
            let setUp: SetUp = { try $0.write(text, to: $0.data.appendingPathComponent("dataset.yaml")) }
            return [
                HostileCase(
                    name: "validate: dataset.yaml \(name)", setUp: setUp, command: HostileCommand.validate, status: 65,
                    message: message),
                HostileCase(
                    name: "infer: dataset.yaml \(name)", setUp: setUp, command: HostileCommand.infer(), status: 65,
                    message: message),
            ]
        } + [
            HostileCase(
                name: "validate: dataset.yaml is a directory",
                setUp: { try $0.makeDirectory(at: $0.data.appendingPathComponent("dataset.yaml")) },
                command: HostileCommand.validate, status: 65, message: "is a directory"),
            HostileCase(
                name: "validate: dataset.yaml not UTF-8",
                setUp: { try $0.write(bytes: notUTF8, to: $0.data.appendingPathComponent("dataset.yaml")) },
                command: HostileCommand.validate, status: 65, message: "is not UTF-8 text"),
        ]
    }

    // MARK: funding.csv and features.csv

    static var fundingCases: [HostileCase] {
        let breaks: [(String, SetUp, String)] = [
            (
                "funding.csv is a directory", { try $0.makeDirectory(at: $0.data.appendingPathComponent("funding.csv")) },
                "is a directory"
            ),
            (
                "funding.csv is a FIFO", { try $0.makeFIFO(at: $0.data.appendingPathComponent("funding.csv")) },
                "is not a regular file"
            ),
            (
                "funding for an unknown asset",
                { w in try w.editLines("funding.csv") { $0[0] = $0[0].replacingOccurrences(of: "SYN1", with: "XYZ") } },
                "[unknown-asset]"
            ),
            (
                "hexadecimal funding",
                { w in
                    try w.editLines("funding.csv") {
                        $0[10] =
                            $0[10].components(separatedBy: ",")[0] + ",0x10"
                            + String(repeating: ",0", count: $0[10].components(separatedBy: ",").count - 2)
                    }
                }, "not a number: '0x10'"
            ),
            (
                "features.csv is a directory", { try $0.makeDirectory(at: $0.data.appendingPathComponent("features.csv")) },
                "is a directory"
            ),
            (
                "features.csv not UTF-8", { try $0.write(bytes: notUTF8, to: $0.data.appendingPathComponent("features.csv")) },
                "is not UTF-8 text"
            ),
            (
                "features.csv with an infinite value",
                { w in
                    try w.editLines("features.csv") {
                        $0[5] =
                            $0[5].components(separatedBy: ",")[0] + ",inf"
                            + String(repeating: ",1", count: $0[5].components(separatedBy: ",").count - 2)
                    }
                }, "[not-finite]"
            ),
        ]
        return breaks.flatMap { name, setUp, message in
            [
                HostileCase(
                    name: "validate: \(name)", setUp: setUp, command: HostileCommand.validate, status: 65, message: message),
                HostileCase(name: "infer: \(name)", setUp: setUp, command: HostileCommand.infer(), status: 65, message: message),
            ]
        }
    }

    // MARK: futures.csv

    /// A `futures.csv` on SYN1 from 2018-01-01 with one contract and `days` (at most 59) daily
    /// rows of `close(day)`.
    static func futures(expiry: String = "2030-12-27", days: Int = 40, close: @Sendable (Int) -> String) -> String {
        "date,asset,contract,expiry,close\n"
            + (0..<days).map { day in
                let date = day < 31 ? String(format: "2018-01-%02d", day + 1) : String(format: "2018-02-%02d", day - 30)
                return "\(date),SYN1,SYN1Z30,\(expiry),\(close(day))\n"
            }.joined()
    }

    static func file(_ world: HostileWorld) -> URL { world.data.appendingPathComponent("futures.csv") }

    static var futuresCases: [HostileCase] {
        let breaks: [(String, SetUp, String)] = [
            ("futures.csv is a directory", { try $0.makeDirectory(at: file($0)) }, "is a directory"),
            ("futures.csv is a FIFO", { try $0.makeFIFO(at: file($0)) }, "is not a regular file"),
            ("futures.csv not UTF-8", { try $0.write(bytes: notUTF8, to: file($0)) }, "is not UTF-8 text"),
            (
                "a futures close overflowing to infinity", { try $0.write(futures { $0 == 7 ? "1e400" : "100" }, to: file($0)) },
                "[not-finite]"
            ),
            ("a NaN futures close", { try $0.write(futures { $0 == 7 ? "NaN" : "100" }, to: file($0)) }, "[not-finite]"),
            (
                "a futures close of 1e300", { try $0.write(futures { $0 == 7 ? "1e300" : "100" }, to: file($0)) },
                "[price-out-of-range]"
            ),
            (
                "an expiry in the year 99999", { try $0.write(futures(expiry: "99999-12-31") { _ in "100" }, to: file($0)) },
                "[unparsable-date]"
            ),
            (
                "rows after the expiry", { try $0.write(futures(expiry: "2018-01-10") { _ in "100" }, to: file($0)) },
                "[row-after-expiry]"
            ),
            (
                "10,001 contracts on one underlying",
                { w in
                    try w.write(
                        "date,asset,contract,expiry,close\n"
                            + (0...10_000).map { "2018-01-02,SYN1,C\($0),2030-12-27,100\n" }.joined(),
                        to: file(w))
                }, "[too-many-contracts]"
            ),
            (
                "a held future whose value overflows (closes alternating 1e-12 and 1e12)",
                { w in
                    try w.editLines("dataset.yaml") { $0 = $0.map { $0 == "  SYN1: perp" ? "  SYN1: future" : $0 } }
                    try w.write(futures { $0 % 2 == 0 ? "1e-12" : "1e12" }, to: file(w))
                }, "[held-value-out-of-range]"
            ),
        ]
        return breaks.flatMap { name, setUp, message in
            [
                HostileCase(
                    name: "validate: \(name)", setUp: setUp, command: HostileCommand.validate, status: 65, message: message),
                HostileCase(name: "infer: \(name)", setUp: setUp, command: HostileCommand.infer(), status: 65, message: message),
            ]
        }
    }

    // MARK: limits files

    static var limitsCases: [HostileCase] {
        let texts: [(String, String, String)] = [
            ("alias bomb", aliasBomb.replacingOccurrences(of: "x9:", with: "max_weight:"), "once aliases are expanded"),
            ("deep nesting", deepFlow, "nested deeper than 64"),
            ("duplicate key (the looser cap later)", "max_weight: 0.1\nmax_weight: 0.9\n", "key 'max_weight' appears twice"),
            ("duplicate asset cap", "asset_max:\n  SYN1: 0.1\n  SYN1: 0.9\n", "key 'SYN1' appears twice"),
            ("cap for an unknown asset", "asset_max:\n  BTC: 0.1\n", "asset_max names 'BTC', which the data do not have"),
            ("cap for an unknown regime", "regime_max_gross:\n  r9: 0.1\n", "regime_max_gross names 'r9'"),
            ("negative cap", "max_weight: -0.1\n", "max_weight must not be negative"),
            ("min_cash above 1", "min_cash: 1.5\n", "min_cash"),
            ("es_confidence of 1", "es_confidence: 1\n", "es_confidence must be in (0, 1)"),
            ("hexadecimal cap", "max_weight: 0x10\n", "max_weight must be a number"),
            ("text cap", "max_weight: lots\n", "max_weight must be a number"),
            ("infinite cap", "target_vol: .inf\n", "target_vol must be a number"),
            ("unknown limit", "max_wieght: 0.1\n", "unknown limit 'max_wieght'"),
            ("not a mapping", "[1, 2]\n", "the top level must be a mapping"),
            ("caps not a mapping", "asset_max: 0.1\n", "asset_max must map names to caps"),
            ("long_only not a flag", "long_only: maybe\n", "long_only must be true or false"),
        ]
        return texts.map { name, text, message in
            HostileCase(
                name: "infer: limits \(name)", setUp: { try $0.write(text, to: $0.limits) },
                command: HostileCommand.inferWithLimits(),
                status: 65, message: message)
        } + [
            HostileCase(
                name: "infer: limits not UTF-8", setUp: { try $0.write(bytes: notUTF8, to: $0.limits) },
                command: HostileCommand.inferWithLimits(), status: 65, message: "is not UTF-8 text"),
            HostileCase(
                name: "infer: limits is a directory", setUp: { try $0.makeDirectory(at: $0.limits) },
                command: HostileCommand.inferWithLimits(), status: 65, message: "is a directory"),
            HostileCase(
                name: "infer: limits is a FIFO", setUp: { try $0.makeFIFO(at: $0.limits) },
                command: HostileCommand.inferWithLimits(), status: 65, message: "is not a regular file"),
            HostileCase(
                name: "infer: limits missing", setUp: { try FileManager.default.removeItem(at: $0.limits) },
                command: HostileCommand.inferWithLimits(), status: 66, message: "file not found"),
            HostileCase(
                name: "infer: target_vol with too little history is held in cash, not passed",
                setUp: { _ in },
                command: { w in
                    let (program, arguments) = HostileCommand.inferWithLimits(["--check"])(w)
                    return (program, arguments.map { $0 == HostileWorld.asOf ? "2018-01-05" : $0 })
                }, status: 0, message: "unmeasured=SYN1,SYN2"),
        ]
    }

    // MARK: model versions

    static var modelCases: [HostileCase] {
        var cases: [(String, SetUp, String)] = [
            (
                "manifest missing",
                { try FileManager.default.removeItem(at: $0.version.appendingPathComponent("manifest.json")) }, "file not found"
            ),
            (
                "manifest not JSON",
                {
                    try $0.write("{not json", to: $0.version.appendingPathComponent("manifest.json"))
                    try $0.recordDigest()
                },
                "not a regimen.model/v1 manifest"
            ),
            (
                "manifest edited after publication (its digest not)",
                { try $0.write("{not json", to: $0.version.appendingPathComponent("manifest.json")) },
                "differs from the digest recorded when it was published"
            ),
            (
                "a valid feature spec edited after publication (it would change the weights silently)",
                {
                    try $0.editManifest(recordingDigest: false) { m in
                        var s = m["feature_spec"] as! [String: Any]; s["volatility_window"] = 30; m["feature_spec"] = s
                    }
                }, "differs from the digest recorded when it was published"
            ),
            (
                "versions.json without the version",
                { try $0.write("{}", to: $0.version.deletingLastPathComponent().appendingPathComponent("versions.json")) },
                "no digest recorded for version 1"
            ),
            (
                "versions.json not JSON",
                { try $0.write("[", to: $0.version.deletingLastPathComponent().appendingPathComponent("versions.json")) },
                "not a JSON object of versions to SHA-256 digests"
            ),
            (
                "manifest is a directory", { try $0.makeDirectory(at: $0.version.appendingPathComponent("manifest.json")) },
                "is a directory"
            ),
            (
                "manifest lists a file outside the version",
                {
                    try $0.editManifest { m in
                        var f = m["files"] as! [String: String]; f["../../../etc/passwd"] = "00"; m["files"] = f
                    }
                }, "outside the version"
            ),
            (
                "manifest lists no weights",
                {
                    try $0.editManifest { m in
                        var f = m["files"] as! [String: String]; f["policy.safetensors"] = nil; m["files"] = f
                    }
                }, "lists no policy.safetensors"
            ),
            (
                "manifest network of a billion members",
                {
                    try $0.editManifest { m in
                        var n = m["network"] as! [String: Any]; n["members"] = 1_000_000_000; m["network"] = n
                    }
                }, "does not match the tensors"
            ),
            (
                "manifest network too wide",
                {
                    try $0.editManifest { m in
                        var n = m["network"] as! [String: Any]; n["hidden"] = [1 << 40]; m["network"] = n
                    }
                }, "does not match the tensors"
            ),
            (
                "manifest network with zero members",
                {
                    try $0.editManifest { m in
                        var n = m["network"] as! [String: Any]; n["members"] = 0; m["network"] = n
                    }
                }, "not a regimen.model/v1 manifest"
            ),
            (
                "manifest claims sleeves its weights lack",
                {
                    try $0.editManifest { m in
                        var n = m["network"] as! [String: Any]; n["sleeves"] = ["cash", "hrp"]; n["tilt"] = 0.5; m["network"] = n
                    }
                }, "does not match the tensors"
            ),
            (
                "manifest with a repeated sleeve",
                {
                    try $0.editManifest { m in
                        var n = m["network"] as! [String: Any]; n["sleeves"] = ["hrp", "hrp"]; n["tilt"] = 0.5; m["network"] = n
                    }
                }, "not a regimen.model/v1 manifest"
            ),
            (
                "manifest with an unknown sleeve",
                {
                    try $0.editManifest { m in
                        var n = m["network"] as! [String: Any]; n["sleeves"] = ["../hrp"]; n["tilt"] = 0.5; m["network"] = n
                    }
                }, "not a regimen.model/v1 manifest"
            ),
            (
                "manifest sleeves with a tilt of 1e300",
                {
                    try $0.editManifest { m in
                        var n = m["network"] as! [String: Any]; n["sleeves"] = ["hrp"]; n["tilt"] = 1e300; m["network"] = n
                    }
                }, "not a regimen.model/v1 manifest"
            ),
            (
                "manifest overlay with a tenor of 9e18 days (a date that would overflow)",
                {
                    try $0.editManifest { m in
                        m["overlay"] = ["structure": "straddle", "asset": "SYN1", "tenor_days": 9_000_000_000_000_000_000]
                    }
                }, "overlay.tenor_days must be from 2 to 730"
            ),
            (
                "manifest feature window of 10^12",
                {
                    try $0.editManifest { m in
                        var s = m["feature_spec"] as! [String: Any]; s["volatility_window"] = 1_000_000_000_000;
                        m["feature_spec"] = s
                    }
                }, "feature_spec: volatility_window"
            ),
            (
                "weights file changed under its checksum",
                { w in
                    var bytes = try Data(contentsOf: w.version.appendingPathComponent("policy.safetensors"));
                    bytes[bytes.count - 1] ^= 0xFF
                    try bytes.write(to: w.version.appendingPathComponent("policy.safetensors"))
                }, "checksum does not match"
            ),
            (
                "weights file missing",
                { try FileManager.default.removeItem(at: $0.version.appendingPathComponent("policy.safetensors")) },
                "file not found"
            ),
            (
                "safetensors header claims 2^60 bytes",
                { try $0.tamper("policy.safetensors", with: Data([0, 0, 0, 0, 0, 0, 0, 0x10]) + Data("{}".utf8)) }, "truncated"
            ),
            (
                "safetensors shape overflowing",
                {
                    try $0.tamper(
                        "policy.safetensors",
                        with: safetensors(
                            #"{"x":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,4]}}"#, payload: 4))
                }, "data offsets"
            ),
            (
                "safetensors offsets beyond the file",
                {
                    try $0.tamper(
                        "policy.safetensors",
                        with: safetensors(
                            #"{"x":{"dtype":"F32","shape":[1],"data_offsets":[9223372036854775800,9223372036854775804]}}"#,
                            payload: 4))
                }, "data offsets"
            ),
            (
                "safetensors negative offsets",
                {
                    try $0.tamper(
                        "policy.safetensors",
                        with: safetensors(#"{"x":{"dtype":"F32","shape":[1],"data_offsets":[-4,0]}}"#, payload: 4))
                }, "data offsets"
            ),
            (
                "safetensors with the wrong tensors",
                {
                    try $0.tamper(
                        "policy.safetensors",
                        with: safetensors(#"{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, payload: 4))
                }, "does not match the tensors"
            ),
            (
                "regime model with a singular covariance",
                { w in
                    try w.tamperJSON("regime.json") { m in
                        var c = m["covariances"] as! [Double]; for i in 0..<4 { c[i] = 1 }; m["covariances"] = c
                    }
                }, "is not positive definite"
            ),
            (
                "regime model with a negative transition",
                { w in try w.tamperJSON("regime.json") { m in m["transitions"] = [1.5, -0.5, 0.5, 0.5] } },
                "has a negative probability"
            ),
            (
                "regime model with probabilities that do not sum to 1",
                { w in try w.tamperJSON("regime.json") { m in m["startProbabilities"] = [0.9, 0.9] } },
                "startProbabilities sums to"
            ),
            ("regime model not JSON", { try $0.tamper("regime.json", with: Data("[".utf8)) }, "not a regime model"),
            ("regime model with more states than values", { w in try w.tamperJSON("regime.json") { $0["states"] = 3 } }, "need"),
            (
                "regime model with a billion states", { w in try w.tamperJSON("regime.json") { $0["states"] = 1_000_000_000 } },
                "at most 64 states"
            ),
            (
                "normalisation with a zero deviation",
                { w in
                    try w.tamperJSON("normalisation.json") { m in
                        var features = m["features"] as! [String: Any]
                        features["MACRO"] = ["mean": 1.0, "sd": 0.0]
                        m["features"] = features
                    }
                }, "both must be finite and sd positive"
            ),
            (
                "normalisation with a negative clip", { w in try w.tamperJSON("normalisation.json") { $0["clip"] = -1 } },
                "clip must be a positive number"
            ),
            (
                "normalisation not JSON", { try $0.tamper("normalisation.json", with: Data("{".utf8)) },
                "not a feature normalisation"
            ),
        ]
        cases.append(
            (
                "aliases.json damaged", { try $0.write("{champion", to: $0.models.appendingPathComponent("tiny/aliases.json")) },
                "aliases.json: not a JSON object"
            ))
        cases.append(
            (
                "alias to a version that does not exist",
                { try $0.write(#"{"champion":7}"#, to: $0.models.appendingPathComponent("tiny/aliases.json")) },
                "points at version 7"
            ))
        return cases.flatMap { name, setUp, message in
            [
                HostileCase(
                    name: "infer: \(name)", setUp: setUp, command: HostileCommand.infer(model: "tiny@champion"), status: 66,
                    message: message),
                HostileCase(
                    name: "backtest: \(name)", setUp: setUp, command: HostileCommand.backtestModel, status: 66, message: message),
            ]
        } + [
            HostileCase(
                name: "models show: a manifest edited after publication is damaged",
                setUp: { w in
                    try w.editManifest(recordingDigest: false) { m in
                        var s = m["feature_spec"] as! [String: Any]; s["volatility_window"] = 30; m["feature_spec"] = s
                    }
                },
                command: { w in ("regimen", ["models", "show", "tiny:1", "--models", w.models.path]) }, status: 66,
                message: "differs from the digest recorded when it was published"),
            HostileCase(
                name: "promote: damaged aliases.json is refused, not rewritten",
                setUp: { try $0.write("{champion", to: $0.models.appendingPathComponent("tiny/aliases.json")) },
                command: HostileCommand.promote(), status: 66, message: "fix or remove it"),
            HostileCase(
                name: "infer: the data lack a feature the model was trained on",
                setUp: { w in
                    try w.editLines("features.csv") { lines in
                        lines = lines.map { $0.components(separatedBy: ",").dropLast().joined(separator: ",") }
                    }
                },
                command: HostileCommand.infer(), status: 65, message: "which the data do not give"),
            HostileCase(
                name: "backtest: the data give a feature the model was not trained on",
                setUp: { w in
                    try w.editLines("features.csv") { lines in
                        lines = lines.enumerated().map { $1.isEmpty ? $1 : $1 + ($0 == 0 ? ",EXTRA" : ",1") }
                    }
                },
                command: HostileCommand.backtestModel, status: 65, message: "was not trained on"),
        ]
    }

    /// A safetensors file: the 8-byte little-endian header length, the header, `payload` bytes.
    static func safetensors(_ header: String, payload: Int) -> Data {
        let json = Data(header.utf8)
        var length = UInt64(json.count).littleEndian
        return Data(bytes: &length, count: 8) + json + Data(repeating: 0, count: payload)
    }

    // MARK: names

    static var nameCases: [HostileCase] {
        let badNames = ["../evil", "a/b", "..", ".", ".hidden", "", "name with space", String(repeating: "a", count: 200)]
        return badNames.map { name in
            HostileCase(
                name: "train --name '\(name.prefix(20))'", setUp: { _ in },
                command: { w in
                    let (program, arguments) = HostileCommand.train(w)
                    return (program, arguments + ["--name", name])
                }, status: 64, message: "must be 1 to 128")
        }
            + ["../evil", "a/b", ".."].map { alias in
                HostileCase(
                    name: "promote --alias '\(alias)'", setUp: { _ in }, command: HostileCommand.promote(alias: alias),
                    status: 64,
                    message: "must be 1 to 128")
            }
            + ["../evil:1", "a/b:1", "..@champion", "tiny@../x", "tiny:0", "tiny:-1"].map { reference in
                HostileCase(
                    name: "infer --model '\(reference)'", setUp: { _ in }, command: HostileCommand.infer(model: reference),
                    status: 64,
                    message: "--model must be NAME:VERSION or NAME@ALIAS")
            }
    }

    // MARK: outputs

    static var outputCases: [HostileCase] {
        let breaks: [(String, @Sendable (HostileWorld, URL) throws -> Void, String)] = [
            ("a directory", { w, url in try w.makeDirectory(at: url) }, "it is a directory"),
            ("a FIFO", { w, url in try w.makeFIFO(at: url) }, "it is a FIFO"),
            (
                "a symbolic link",
                { _, url in try FileManager.default.createSymbolicLink(atPath: url.path, withDestinationPath: "/tmp/x") },
                "a symbolic link"
            ),
        ]
        let commands: [(String, String, @Sendable (HostileWorld) -> (String, [String]))] = [
            ("infer", "weights.json", HostileCommand.infer()), ("baseline", "w.json", HostileCommand.baseline),
            ("backtest", "b.json", HostileCommand.backtest), ("features", "f.csv", HostileCommand.features),
            ("risk", "r.json", HostileCommand.risk),
        ]
        return commands.flatMap { command, file, run in
            breaks.map { name, make, message in
                HostileCase(
                    name: "\(command): --out is \(name)", setUp: { w in try make(w, w.out.appendingPathComponent(file)) },
                    command: run, status: 65, message: message)
            } + [
                HostileCase(
                    name: "\(command): --out in a missing folder", setUp: { w in try FileManager.default.removeItem(at: w.out) },
                    command: run, status: 66, message: "does not exist")
            ]
        } + folderIsAFileCases + [
            HostileCase(
                name: "infer: --history clash leaves neither file written",
                setUp: { w in
                    try FileManager.default.createDirectory(
                        at: w.root.appendingPathComponent("history"), withIntermediateDirectories: true)
                    try w.write("{}", to: w.root.appendingPathComponent("history/\(HostileWorld.asOf).json"))
                },
                command: { w in HostileCommand.infer(["--history", w.root.appendingPathComponent("history").path])(w) },
                status: 65, message: "exists with different weights")
        ]
    }

    /// A file given where a command writes a folder (it was an internal error, 70, after the
    /// training): 64 naming the option, nothing trained or written.
    static var folderIsAFileCases: [HostileCase] {
        let file: SetUp = { w in try w.write("not a folder\n", to: w.root.appendingPathComponent("file")) }
        return [
            HostileCase(
                name: "train: --models is a file", setUp: file,
                command: { w in
                    (
                        "regimen",
                        [
                            "train", "--data", w.data.path, "--config", w.config.path, "--models",
                            w.root.appendingPathComponent("file/sub").path, "--quiet",
                        ]
                    )
                }, status: 64, message: "is a file, not a folder; give a folder for the model registry"),
            HostileCase(
                name: "evaluate: --report is a file", setUp: file,
                command: { w in
                    (
                        "regimen",
                        [
                            "evaluate", "--data", w.data.path, "--baselines", "min-variance", "--from", "2018-06-01", "--to",
                            "2018-09-01", "--report", w.root.appendingPathComponent("file/sub").path,
                        ]
                    )
                }, status: 64, message: "give a folder for report.json and report.html"),
            HostileCase(
                name: "models list: --models is a file", setUp: file,
                command: { w in ("regimen", ["models", "list", "--models", w.root.appendingPathComponent("file/sub").path]) },
                status: 64,
                message: "is a file, not a folder; give a folder for the model registry"),
        ]
    }

    // MARK: configs and feature specs

    static var settingsCases: [HostileCase] {
        let texts: [(String, String, String)] = [
            ("alias bomb", aliasBomb.replacingOccurrences(of: "x9:", with: "hidden:"), "once aliases are expanded"),
            ("deep nesting", deepFlow, "nested deeper than 64"),
            ("duplicate key", "epochs: 3\nepochs: 300\n", "key 'epochs' appears twice"),
            ("misspelt key", "epoch: 3\n", "unknown key 'epoch'"),
        ]
        return texts.flatMap { name, text, message in
            [
                HostileCase(
                    name: "train: config \(name)", setUp: { try $0.write(text, to: $0.config) }, command: HostileCommand.train,
                    status: 65, message: message),
                HostileCase(
                    name: "features: spec \(name)",
                    setUp: { try $0.write(text.replacingOccurrences(of: "epoch", with: "horizon"), to: $0.spec) },
                    command: { w in
                        let (p, a) = HostileCommand.features(w); return (p, a + ["--spec", w.spec.path])
                    }, status: 65,
                    message: message.replacingOccurrences(of: "epoch", with: "horizon")),
            ]
        } + [
            HostileCase(
                name: "train: config not UTF-8", setUp: { try $0.write(bytes: notUTF8, to: $0.config) },
                command: HostileCommand.train, status: 65, message: "is not UTF-8 text"),
            HostileCase(
                name: "train: config is a directory", setUp: { try $0.makeDirectory(at: $0.config) },
                command: HostileCommand.train, status: 65, message: "is a directory"),
            HostileCase(
                name: "train: config missing", setUp: { try FileManager.default.removeItem(at: $0.config) },
                command: HostileCommand.train, status: 66, message: "file not found"),
            HostileCase(
                name: "features: spec window of 10^9", setUp: { try $0.write("volatility_window: 1000000000\n", to: $0.spec) },
                command: { w in
                    let (p, a) = HostileCommand.features(w); return (p, a + ["--spec", w.spec.path])
                }, status: 65, message: "volatility_window must be from"),
        ]
    }

    // MARK: weights files

    static var weightsCases: [HostileCase] {
        let breaks: [(String, SetUp, Int32, String)] = [
            ("not JSON", { try $0.write("{", to: $0.previous) }, 65, "not a weights file"),
            ("a directory", { try $0.makeDirectory(at: $0.previous) }, 65, "is a directory"),
            ("a FIFO", { try $0.makeFIFO(at: $0.previous) }, 65, "is not a regular file"),
            ("missing", { try FileManager.default.removeItem(at: $0.previous) }, 66, "file not found"),
            (
                "wrong schema",
                { w in
                    try w.write(
                        try String(contentsOf: w.previous, encoding: .utf8).replacingOccurrences(
                            of: "regimen.weights/v1", with: "x/v9"), to: w.previous)
                }, 65, "schema is 'x/v9'"
            ),
            (
                "a weight of 1e400",
                { w in
                    try w.write(
                        try String(contentsOf: w.previous, encoding: .utf8).replacingOccurrences(
                            of: #""SYN1" : "#, with: #""SYN1" : 1e400, "x" : "#), to: w.previous)
                }, 65, "not a weights file"
            ),
        ]
        return breaks.flatMap { name, setUp, status, message in
            [
                HostileCase(
                    name: "infer: --previous \(name)", setUp: setUp,
                    command: { w in HostileCommand.infer(["--previous", w.previous.path])(w) }, status: status, message: message),
                HostileCase(
                    name: "risk: --weights \(name)", setUp: setUp, command: HostileCommand.risk, status: status, message: message),
            ]
        }
    }

    // MARK: arguments

    static var argumentCases: [HostileCase] {
        let inferArguments: [(String, [String], Int32, String)] = [
            ("--max-staleness of Int.max", ["--max-staleness", "9223372036854775807", "--check"], 0, "checked"),
            ("--max-staleness negative", ["--max-staleness=-1"], 64, "--max-staleness must be at least 0"),
            (
                "--as-of with 20 fraction digits", ["--as-of", "2019-01-20T00:00:00.99999999999999999999Z"], 64,
                "--as-of must be a date"
            ),
            ("--as-of before the data", ["--as-of", "2001-01-01"], 65, "no price row on or before"),
            ("--as-of on the first row", ["--as-of", "2018-01-01", "--check"], 0, "checked"),
        ]
        return inferArguments.map { name, extra, status, message in
            HostileCase(
                name: "infer: \(name)", setUp: { _ in },
                command: { w in
                    let (program, arguments) = HostileCommand.infer()(w)
                    var cleaned = arguments
                    if extra.contains("--as-of"), let index = cleaned.firstIndex(of: "--as-of") {
                        cleaned.removeSubrange(index...(index + 1))
                    }
                    return (program, cleaned + extra)
                }, status: status, message: message)
        } + [
            HostileCase(
                name: "backtest: --rebalance every:0", setUp: { _ in },
                command: { w in
                    let (p, a) = HostileCommand.backtest(w); return (p, a + ["--rebalance", "every:0"])
                }, status: 64, message: "every"),
            HostileCase(
                name: "backtest: --fee-bps nan", setUp: { _ in },
                command: { w in
                    let (p, a) = HostileCommand.backtest(w); return (p, a + ["--fee-bps", "nan"])
                }, status: 64, message: "fee"),
            HostileCase(
                name: "backtest: --aum on data without ohlcv.csv",
                setUp: { w in try FileManager.default.removeItem(at: w.data.appendingPathComponent("ohlcv.csv")) },
                command: { w in
                    let (p, a) = HostileCommand.backtest(w); return (p, a + ["--aum", "1e6"])
                }, status: 65, message: "ohlcv.csv has no volume for"),
            HostileCase(
                name: "baseline: --window 0", setUp: { _ in },
                command: { w in
                    let (p, a) = HostileCommand.baseline(w); return (p, a + ["--window", "0"])
                }, status: 64, message: "window"),
            HostileCase(
                name: "risk: --confidence 1", setUp: { _ in },
                command: { w in
                    let (p, a) = HostileCommand.risk(w); return (p, a + ["--confidence", "1"])
                }, status: 64, message: "confidence"),
        ] + numericOptionBounds
    }

    /// Numeric options at the edges (a tiny confidence, Int.max windows and horizons, a huge
    /// fee): refused in validate (64) with the bound named, never an overflow or a trap.
    static var numericOptionBounds: [HostileCase] {
        let edges: [(String, @Sendable (HostileWorld) -> (String, [String]), [String], String)] = [
            ("risk", HostileCommand.risk, ["--confidence", "1e-300"], "--confidence must be from 0.5 to 0.9999"),
            ("risk", HostileCommand.risk, ["--horizon", "9223372036854775807"], "--horizon must be from 1 to 3650"),
            ("risk", HostileCommand.risk, ["--window", "9223372036854775807"], "--window must be from 2 to 1000000"),
            ("backtest", HostileCommand.backtest, ["--window", "9223372036854775807"], "--window must be from 2"),
            ("backtest", HostileCommand.backtest, ["--fee-bps", "1e308"], "--fee-bps must be from 0.0 to 1000.0"),
            ("backtest", HostileCommand.backtest, ["--fee-bps", "20000"], "--fee-bps must be from 0.0 to 1000.0"),
            ("backtest", HostileCommand.backtest, ["--risk-window", "1"], "--risk-window must be from 2"),
            ("backtest", HostileCommand.backtest, ["--aum", "1e16"], "--aum must be a finite number of USD from 0 to 1e15"),
            ("backtest", HostileCommand.backtest, ["--aum", "nan"], "--aum must be a finite number of USD from 0 to 1e15"),
            ("backtest", HostileCommand.backtest, ["--aum", "1e5,1e6"], "--aum takes one value in backtest"),
            ("baseline", HostileCommand.baseline, ["--window", "9223372036854775807"], "--window must be from 2"),
        ]
        return edges.map { command, base, extra, message in
            HostileCase(
                name: "\(command): \(extra.joined(separator: " "))", setUp: { _ in },
                command: { w in
                    let (p, a) = base(w)
                    return (p, a + extra)
                }, status: 64, message: message)
        }
    }
}

extension HostileCases {
    /// A model backtested on the dates it was fitted on, without `--allow-in-sample`.
    static let inSampleCase = HostileCase(
        name: "backtest: a model on its own training dates", setUp: { _ in },
        command: { w in
            let (program, arguments) = HostileCommand.backtestModel(w)
            return (program, arguments.filter { $0 != "--allow-in-sample" })
        }, status: 64, message: "pass --allow-in-sample")
}
