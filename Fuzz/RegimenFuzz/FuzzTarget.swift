import Artifacts
import Features
import Foundation
import Market
import ModelStore
import Policy
import Portfolio
import Regimes
import Support
import Training

/// The readers the fuzzer drives, one per kind of file Regimen reads (issue 12). Each takes
/// the fuzzer's bytes as that file and runs the reader as a command would; any outcome but
/// a trap, a hang or a runaway allocation is a pass.
enum FuzzTarget: String, CaseIterable {
    case prices, funding, futures, datasetYAML = "dataset-yaml", limits, config, featureSpec = "feature-spec"
    case weights, manifest, aliases, regime, safetensors, normalisation

    /// The target named by `REGIMEN_FUZZ_TARGET`.
    static let selected: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["REGIMEN_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            FileHandle.standardError.write(
                Data("REGIMEN_FUZZ_TARGET must be one of: \(allCases.map(\.rawValue).joined(separator: ", "))\n".utf8))
            exit(2)
        }
        return target
    }()

    /// A scratch copy of the template dataset and model (`REGIMEN_FUZZ_DATA`,
    /// `REGIMEN_FUZZ_MODELS`), made once per process.
    static let scratch: URL = {
        let environment = ProcessInfo.processInfo.environment
        let root = URL(fileURLWithPath: "/dev/shm/regimen-fuzz-\(getpid())")
        try? FileManager.default.removeItem(at: root)
        try! FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        for (variable, name) in [("REGIMEN_FUZZ_DATA", "data"), ("REGIMEN_FUZZ_MODELS", "models")] {
            guard let path = environment[variable] else { continue }
            try! FileManager.default.copyItem(atPath: path, toPath: root.appendingPathComponent(name).path)
        }
        return root
    }()

    /// Runs the reader on `bytes`.
    func run(_ bytes: Data) {
        let text = String(decoding: bytes, as: UTF8.self)
        let data = Self.scratch.appendingPathComponent("data")
        let models = Self.scratch.appendingPathComponent("models")
        let version = models.appendingPathComponent("tiny/1")
        switch self {
        case .prices: replaceAndValidate(bytes, data.appendingPathComponent("prices.csv"), data)
        case .funding: replaceAndValidate(bytes, data.appendingPathComponent("funding.csv"), data)
        case .datasetYAML: replaceAndValidate(bytes, data.appendingPathComponent("dataset.yaml"), data)
        case .futures:
            // SYN3 held through the fuzzed contracts, auto-chosen instruments for the others,
            // and the basis features: the reader, the roll rule, the held value, the choice.
            let yaml = data.appendingPathComponent("dataset.yaml")
            let original = try? Data(contentsOf: yaml)
            try? Data("periods_per_year: 365\nfee_bps: 10\nroll_days: 2\nkind:\n  SYN3: future\ninstrument: auto\n".utf8).write(
                to: yaml)
            let futures = data.appendingPathComponent("futures.csv")
            try? bytes.write(to: futures)
            if let dataset = DatasetReader.validate(directory: data.path).dataset {
                var spec = FeatureSpec()
                spec.basisTenors = [30, 90]
                _ = FeatureBuilder.compute(dataset, spec: spec)
                _ = (0..<dataset.rowCount).map { dataset.tradedWeight(from: [0.3, 0.3, 0.3], to: [0.2, 0.2, 0.4], atRow: $0) }
            }
            try? FileManager.default.removeItem(at: futures)
            if let original { try? original.write(to: yaml) }
        case .limits:
            // As the daily job: names checked against the data and the model, then the decision.
            guard let limits = try? RiskLimits(yaml: text, file: "limits.yaml"),
                (try? limits.checkNames(assets: LimitsDecision.assets, regimeLabels: LimitsDecision.regimeLabels)) != nil
            else { return }
            LimitsDecision.check(limits)
        case .config:
            // As `regimen train` before it reads the data: decode, problems, then the candidates.
            guard let config = try? YAMLDocument.decode(TrainingConfig.self, from: text, file: "config.yaml"),
                config.problems.isEmpty
            else { return }
            TrainableConfig.check(config)
        case .featureSpec:
            _ = (try? YAMLDocument.decode(FeatureSpec.self, from: text, file: "spec.yaml"))?.problems
        case .weights:
            let file = Self.scratch.appendingPathComponent("weights.json")
            try? bytes.write(to: file)
            _ = try? WeightsFile.read(file.path)
        case .manifest:
            let original = try! Data(contentsOf: version.appendingPathComponent("manifest.json"))
            try? bytes.write(to: version.appendingPathComponent("manifest.json"))
            _ = try? PolicyModel.load(ModelRegistry.Reference(parsing: "tiny:1")!, from: ModelRegistry(root: models))
            try? original.write(to: version.appendingPathComponent("manifest.json"))
        case .aliases:
            let file = models.appendingPathComponent("tiny/aliases.json")
            try? bytes.write(to: file)
            let registry = ModelRegistry(root: models)
            _ = try? registry.aliases(of: "tiny")
            _ = try? PolicyModel.load(ModelRegistry.Reference(parsing: "tiny@champion")!, from: registry)
            try? registry.promote(name: "tiny", version: 1, alias: "fuzzed")
            try? FileManager.default.removeItem(at: file)
        case .regime:
            guard let model = try? JSONDecoder().decode(GaussianHMM.self, from: bytes), model.brokenRule == nil else { return }
            let observations = (0..<20).map { t in (0..<model.dimensions).map { Double(($0 + 1) * (t % 7)) * 0.01 } }
            _ = model.filteredProbabilities(observations)
            _ = model.viterbi(observations)
        case .safetensors:
            guard let file = try? SafeTensorsFile(decoding: bytes, source: "fuzz.safetensors") else { return }
            let network = PolicyNetwork<Float>(scorerInputs: 3, cashInputs: 2, hidden: [4], seed: 0)
            try? file.load(into: network.parameters, source: "fuzz.safetensors")
        case .normalisation:
            _ = (try? JSONDecoder().decode(FeatureNormalisation.self, from: bytes))?.brokenRule
        }
    }

    private func replaceAndValidate(_ bytes: Data, _ file: URL, _ directory: URL) {
        let original = try? Data(contentsOf: file)
        try? bytes.write(to: file)
        _ = DatasetReader.validate(directory: directory.path)
        if let original { try? original.write(to: file) } else { try? FileManager.default.removeItem(at: file) }
    }
}

/// libFuzzer's entry point.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    FuzzTarget.selected.run(Data(bytes: start, count: count))
    return 0
}

/// libFuzzer's driver, called from the executable's entry point (SwiftPM links an executable
/// target's `main` as `RegimenFuzz_main`, so libFuzzer's own `main` never runs).
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

/// The executable's entry point: hands the command line to libFuzzer.
@_cdecl("RegimenFuzz_main")
public func fuzzMain(
    _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> CInt {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments) { start, size in fuzzOneInput(start, size) }
}
