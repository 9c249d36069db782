import Features
import Options
import Policy
import Regimes
import Support

/// A training config (`models/NAME.yaml`): data ranges, features, regimes, network,
/// objective, costs and seed. Every key is optional; the defaults are `models/default.yaml`'s.
package struct TrainingConfig: Codable, Sendable, Equatable {
    /// `YYYY-MM-DD..YYYY-MM-DD` ranges of decision dates; nil: the first 70% / next 15% of rows.
    package var train: String?
    package var validate: String?
    package var features = FeatureSpec()
    package var regimeStates = 3
    package var regimeRestarts = 5
    package var hidden = [32, 32]
    /// Decisions per training window.
    package var window = 30
    /// Windows per mini-batch.
    package var batch = 16
    package var epochs = 40
    /// Mini-batches per epoch.
    package var stepsPerEpoch = 20
    package var learningRate = 0.001
    package var clip = 1.0
    /// Weight of the risk term in the objective.
    package var riskPenalty = 1.0
    /// The risk term: `variance` of per-period net returns, or a smooth `cvar` (expected
    /// shortfall at `cvar_confidence`).
    package var riskMeasure = RiskMeasure.variance
    package var cvarConfidence = 0.95

    /// What training maximises: `growth`, the net log growth minus `risk_penalty` times the
    /// risk term; or `sharpe`, the mean over the standard deviation of the batch's net
    /// returns (the validation metric itself; `risk_penalty` and `risk_measure` do not apply).
    package var objective = Objective.growth

    /// What training maximises.
    package enum Objective: String, Codable, Sendable, CaseIterable {
        case growth, sharpe

        /// Reads an objective by name; another name is an error that lists the valid ones.
        package init(from decoder: any Decoder) throws {
            self = try NamedChoice.decode(decoder, Self.allCases.map { ($0.rawValue, $0) })
        }
    }

    /// The risk term of the objective.
    package enum RiskMeasure: String, Codable, Sendable, CaseIterable {
        case variance, cvar

        /// Reads a measure by name; another name is an error that lists the valid ones.
        package init(from decoder: any Decoder) throws {
            self = try NamedChoice.decode(decoder, Self.allCases.map { ($0.rawValue, $0) })
        }
    }
    /// Where training starts: `random` (Xavier-initialised networks) or `equal_weight` (the
    /// output layers at zero, so the untrained policy is equal weight over the listed assets
    /// and cash, a sound baseline that training moves only where the data say).
    package var start = PolicyStart.random
    /// Weight of the penalty on the squared output-layer parameters: with `start:
    /// equal_weight` a pull back toward the starting mix.
    package var anchorPenalty = 0.0

    /// Where training starts.
    package enum PolicyStart: String, Codable, Sendable, CaseIterable {
        case random
        case equalWeight = "equal_weight"
    }

    /// The sleeves of a sleeve-mixture policy (empty: the policy is a softmax over its
    /// scores). With sleeves, training starts from `start_share` of the sleeve with the best
    /// Sharpe over the training rows (cash cannot be the start) and the rest spread evenly.
    package var sleeves: [PolicySleeve] = []
    /// An options overlay the model holds on top of its weights (contract section 7); it
    /// does not enter the training loss: the policy is trained as without it.
    package var overlay: OverlaySpec?
    /// The bound of the per-weight log tilt of a sleeve-mixture policy.
    package var tilt = 0.5
    /// The starting sleeve's share of the untrained mixture.
    package var startShare = 0.9

    /// The risk-budget policy (nil: a free or sleeve-mixture policy); docs/policy.md.
    package var budget: BudgetDesign?
    /// Validation windows inside the training range (the latest is `validate`, each earlier
    /// one the same length just before the next); see `NestedSelection`.
    package var validationWindows = 1
    /// Candidate values of design keys (`tau`, `band`, `half_life`, `target_vol`, all of
    /// `budget:`), chosen by the nested loop on the validation windows (empty: none).
    package var select: [String: [Double]] = [:]

    /// Networks trained from different seeds whose weights are averaged (LESSONS 5).
    package var ensemble = 5
    /// Epochs without a better validation Sharpe before stopping.
    package var patience = 8
    package var feeBps = 10.0
    /// The starting capital in USD (contract section 11): with it, every trade also pays
    /// market impact by the square-root law, inside the training loss and in the validation
    /// backtests, so the data need `ohlcv.csv`; nil: fees and funding only.
    package var aum: Double?
    package var seed: UInt64 = 7

    package init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case train, validate, features, hidden, window, batch, epochs, clip, patience, seed, ensemble
        case regimeStates = "regime_states"
        case regimeRestarts = "regime_restarts"
        case stepsPerEpoch = "steps_per_epoch"
        case learningRate = "learning_rate"
        case riskPenalty = "risk_penalty"
        case feeBps = "fee_bps"
        case riskMeasure = "risk_measure"
        case cvarConfidence = "cvar_confidence"
        case start, sleeves, tilt, objective, overlay
        case anchorPenalty = "anchor_penalty"
        case startShare = "start_share"
        case budget, select, aum
        case validationWindows = "validation_windows"
    }

    /// Reads a config, each key optional (defaults for the rest); an unknown key is an error.
    package init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = TrainingConfig()
        train = try c.decodeIfPresent(String.self, forKey: .train)
        validate = try c.decodeIfPresent(String.self, forKey: .validate)
        features = try c.decodeIfPresent(FeatureSpec.self, forKey: .features) ?? d.features
        regimeStates = try c.decodeIfPresent(Int.self, forKey: .regimeStates) ?? d.regimeStates
        regimeRestarts = try c.decodeIfPresent(Int.self, forKey: .regimeRestarts) ?? d.regimeRestarts
        hidden = try c.decodeIfPresent([Int].self, forKey: .hidden) ?? d.hidden
        window = try c.decodeIfPresent(Int.self, forKey: .window) ?? d.window
        batch = try c.decodeIfPresent(Int.self, forKey: .batch) ?? d.batch
        epochs = try c.decodeIfPresent(Int.self, forKey: .epochs) ?? d.epochs
        stepsPerEpoch = try c.decodeIfPresent(Int.self, forKey: .stepsPerEpoch) ?? d.stepsPerEpoch
        learningRate = try c.decodeIfPresent(Double.self, forKey: .learningRate) ?? d.learningRate
        clip = try c.decodeIfPresent(Double.self, forKey: .clip) ?? d.clip
        riskPenalty = try c.decodeIfPresent(Double.self, forKey: .riskPenalty) ?? d.riskPenalty
        riskMeasure = try c.decodeIfPresent(RiskMeasure.self, forKey: .riskMeasure) ?? d.riskMeasure
        cvarConfidence = try c.decodeIfPresent(Double.self, forKey: .cvarConfidence) ?? d.cvarConfidence
        patience = try c.decodeIfPresent(Int.self, forKey: .patience) ?? d.patience
        ensemble = try c.decodeIfPresent(Int.self, forKey: .ensemble) ?? d.ensemble
        feeBps = try c.decodeIfPresent(Double.self, forKey: .feeBps) ?? d.feeBps
        aum = try c.decodeIfPresent(Double.self, forKey: .aum)
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? d.seed
        start = try c.decodeIfPresent(PolicyStart.self, forKey: .start) ?? d.start
        anchorPenalty = try c.decodeIfPresent(Double.self, forKey: .anchorPenalty) ?? d.anchorPenalty
        sleeves = try c.decodeIfPresent([PolicySleeve].self, forKey: .sleeves) ?? d.sleeves
        tilt = try c.decodeIfPresent(Double.self, forKey: .tilt) ?? d.tilt
        startShare = try c.decodeIfPresent(Double.self, forKey: .startShare) ?? d.startShare
        objective = try c.decodeIfPresent(Objective.self, forKey: .objective) ?? d.objective
        overlay = try c.decodeIfPresent(OverlaySpec.self, forKey: .overlay)
        budget = try c.decodeIfPresent(BudgetDesign.self, forKey: .budget)
        validationWindows = try c.decodeIfPresent(Int.self, forKey: .validationWindows) ?? d.validationWindows
        select = try c.decodeIfPresent([String: [Double]].self, forKey: .select) ?? d.select
    }

    /// Writes every key, leaving out `aum` when not set, `start`, `anchor_penalty`, `objective` and (without sleeves) the
    /// sleeve keys at their defaults (so the configs, manifests and checkpoint keys of models
    /// trained before they existed are unchanged).
    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(train, forKey: .train)
        try c.encodeIfPresent(validate, forKey: .validate)
        try c.encode(features, forKey: .features)
        try c.encode(regimeStates, forKey: .regimeStates)
        try c.encode(regimeRestarts, forKey: .regimeRestarts)
        try c.encode(hidden, forKey: .hidden)
        try c.encode(window, forKey: .window)
        try c.encode(batch, forKey: .batch)
        try c.encode(epochs, forKey: .epochs)
        try c.encode(stepsPerEpoch, forKey: .stepsPerEpoch)
        try c.encode(learningRate, forKey: .learningRate)
        try c.encode(clip, forKey: .clip)
        try c.encode(riskPenalty, forKey: .riskPenalty)
        try c.encode(riskMeasure, forKey: .riskMeasure)
        try c.encode(cvarConfidence, forKey: .cvarConfidence)
        try c.encode(patience, forKey: .patience)
        try c.encode(ensemble, forKey: .ensemble)
        try c.encode(feeBps, forKey: .feeBps)
        try c.encodeIfPresent(aum, forKey: .aum)
        try c.encode(seed, forKey: .seed)
        if start != .random { try c.encode(start, forKey: .start) }
        if anchorPenalty != 0 { try c.encode(anchorPenalty, forKey: .anchorPenalty) }
        if objective != .growth { try c.encode(objective, forKey: .objective) }
        try c.encodeIfPresent(overlay, forKey: .overlay)
        if !sleeves.isEmpty {
            try c.encode(sleeves, forKey: .sleeves)
            try c.encode(tilt, forKey: .tilt)
            try c.encode(startShare, forKey: .startShare)
        }
        try c.encodeIfPresent(budget, forKey: .budget)
        if validationWindows != 1 { try c.encode(validationWindows, forKey: .validationWindows) }
        if !select.isEmpty { try c.encode(select, forKey: .select) }
    }

    /// The whole-number keys and their ranges: each at least 1; `regime_states` at most what
    /// the daily job loads (`GaussianHMM.maximumStates`); the rest bound so that no product of
    /// them allocates more than a training run can use.
    static func countRanges(_ c: TrainingConfig) -> [(String, Int, ClosedRange<Int>)] {
        [
            ("regime_states", c.regimeStates, 1...GaussianHMM.maximumStates), ("regime_restarts", c.regimeRestarts, 1...100),
            ("window", c.window, 1...10_000), ("batch", c.batch, 1...4_096), ("epochs", c.epochs, 1...100_000),
            ("steps_per_epoch", c.stepsPerEpoch, 1...100_000), ("patience", c.patience, 1...100_000),
            ("ensemble", c.ensemble, 1...64), ("validation_windows", c.validationWindows, 1...10),
        ]
    }

    /// Problems with the products of whole-number keys. Checked only when every such key is
    /// within its range (`countRanges`), where no product can overflow: a product of
    /// out-of-range counts (a batch and a window of 10^10 each) trapped.
    private var productProblems: [String] {
        var found: [String] = []
        if batch * window > 1_000_000 { found.append("batch x window must be at most 1000000; found \(batch * window)") }
        if ensemble * validationWindows > 64 {
            found.append("ensemble x validation_windows must be at most 64; found \(ensemble * validationWindows)")
        }
        return found
    }

    /// Sleeve settings given to a policy without sleeves: they would do nothing and vanish
    /// from the manifest (only a sleeve policy records them), so a value other than the
    /// default is refused rather than silently dropped.
    private var sleeveOnlyProblems: [String] {
        guard sleeves.isEmpty else { return [] }
        let d = TrainingConfig()
        return [("tilt", tilt, d.tilt), ("start_share", startShare, d.startShare)].compactMap { key, value, standard in
            value == standard ? nil : "\(key) applies only to a policy with sleeves; found \(value) without sleeves"
        }
    }

    /// Problems with the values, as sentences that start with the dotted key they name (so
    /// `YAMLDocument.problem(_:placedIn:file:)` can place them in the file).
    package var problems: [String] {
        var found = features.problems.map { "features." + $0 } + (overlay?.problems ?? [])
        if hidden.isEmpty || hidden.count > 8 || hidden.contains(where: { !(1...1_024).contains($0) }) {
            found.append("hidden must be 1 to 8 widths from 1 to 1024; found \(hidden)")
        }
        let outOfRange = Self.countRanges(self).filter { !$0.2.contains($0.1) }
        for (key, value, range) in outOfRange {
            found.append("\(key) must be from \(range.lowerBound) to \(range.upperBound); found \(value)")
        }
        if outOfRange.isEmpty { found += productProblems }
        let numbers: [(String, Double, ClosedRange<Double>)] = [
            ("learning_rate", learningRate, 1e-9...10), ("fee_bps", feeBps, 0...1_000), ("clip", clip, 1e-9...1e9),
            ("risk_penalty", riskPenalty, 0...1e6),
        ]
        for (key, value, range) in numbers where !range.contains(value) {
            found.append("\(key) must be from \(range.lowerBound) to \(range.upperBound); found \(value)")
        }
        if let aum, !(0...1e15).contains(aum) { found.append("aum must be from 0 to 1e15; found \(aum)") }
        if !(anchorPenalty >= 0 && anchorPenalty.isFinite) { found.append("anchor_penalty must be a non-negative number") }
        if !(cvarConfidence > 0 && cvarConfidence < 1) { found.append("cvar_confidence must be in (0, 1)") }
        if Set(sleeves).count != sleeves.count { found.append("sleeves must not repeat a sleeve") }
        if !sleeves.isEmpty && sleeves.allSatisfy({ $0 == .cash }) { found.append("sleeves must hold a sleeve other than cash") }
        if !(tilt >= 0 && tilt <= 10) { found.append("tilt must be in [0, 10]") }
        if !(startShare > 0 && startShare < 1) { found.append("start_share must be in (0, 1)") }
        found += sleeveOnlyProblems
        if !sleeves.isEmpty && start != .random {
            found.append("start does not apply to a policy with sleeves (it starts on a sleeve)")
        }
        if budget != nil && !sleeves.isEmpty { found.append("a policy has sleeves or a budget, not both") }
        if budget != nil && start != .random { found.append("start does not apply to a budget policy (it starts on its anchor)") }
        return found + (budget?.problems ?? []) + NestedSelection.problems(self)
    }
}
