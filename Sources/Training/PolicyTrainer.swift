import Backtest
import Baselines
import Features
import LinearAlgebra
import Foundation
import Market
import Options
import Policy
import Portfolio
import RegimeFitting
import Regimes
import Risk
import Support
import TensorModule

/// Trains the regime model and the allocation policy (Jiang, Xu and Liang 2017: the
/// deterministic policy gradient of the portfolio's net log growth): random windows of the
/// training range, costs and funding inside the differentiable accounting (with `aum:`, market
/// impact too), minus a variance penalty; Adam, global-norm clipping; the epoch with the best
/// validation Sharpe (through the plain simulator with the same fee and `aum`) is kept. With `ensemble: K`, K networks are
/// trained this way from different seeds and the policy averages their weights. Seeded:
/// same config, same bytes.
package enum PolicyTrainer {
    /// A training outcome.
    package struct Outcome: Sendable {
        package let allocator: PolicyAllocator
        package let regimeModel: GaussianHMM
        package let normalisation: FeatureNormalisation
        package let trainRows: ClosedRange<Int>
        package let validationRows: ClosedRange<Int>
        /// Per member and epoch: training loss, the member's validation Sharpe.
        package let history: [Epoch]
        /// The whole policy's (the ensemble's) validation Sharpe.
        package let validationSharpe: Double?
        /// `equal-weight`'s Sharpe on the same validation range and fee.
        package let equalWeightValidationSharpe: Double?
        /// The config the model was trained with: the given one, or the candidate the nested
        /// selection chose (its `select` emptied).
        package let config: TrainingConfig
        /// Every candidate's validation record, in candidate order (empty without selection).
        package let selection: [NestedSelection.Score]
    }

    /// One epoch of one ensemble member (members count from 1): the training log's line,
    /// the checkpoint's history and the outcome's history are this one record.
    package struct Epoch: Sendable, Equatable, Codable {
        package let member: Int
        package let epoch: Int
        package let loss: Double
        package let validationSharpe: Double?
    }

    /// Why training cannot run on the data and config given (65).
    package struct Failure: ReportableError {
        package let description: String
        package var exitStatus: Int32 { ExitStatus.badData }
    }

    /// Thrown when a run used up its epoch budget; the checkpoint holds its state.
    package struct Paused: Error, CustomStringConvertible {
        /// Epochs trained in this run.
        package let epochs: Int
        package var description: String { "paused after \(epochs) epochs; run the same command again to resume" }
    }

    /// Trains on `dataset`; `progress` receives one line per epoch.
    /// - Parameters:
    ///   - checkpoint: a folder to save the state into after every epoch and to resume from
    ///     when it holds a consistent checkpoint (same config and data: the caller keys it).
    ///   - epochBudget: at most this many epochs in this run, then `Paused` is thrown.
    package static func train(
        _ dataset: Dataset, config: TrainingConfig, name: String, checkpoint: URL? = nil, epochBudget: Int? = nil,
        progress: (String) -> Void = { _ in }
    ) throws -> Outcome {
        let setting = try prepare(dataset, config: config, name: name, progress: progress)
        let validationRows = try ranges(dataset, config).1
        let known = dataset.truncated(throughRow: validationRows.upperBound)
        var members: [PolicyNetwork<Float>] = []
        var history: [Epoch] = []
        var chosen = config
        var selection: [NestedSelection.Score] = []
        if config.validationWindows == 1 && config.select.isEmpty {
            for training in try trainMembers(setting, checkpoint: checkpoint, epochBudget: epochBudget, progress: progress) {
                members.append(training.finished())
                history += training.history
            }
        } else {
            let nested = try trainNested(setting, known: known, validationRows: validationRows, progress: progress)
            (members, history, chosen, selection) = (nested.members, nested.history, nested.config, nested.scores)
        }
        var allocator = PolicyAllocator(
            name: name, members: members, normalisation: setting.normalisation, regimeModel: setting.regimeModel,
            spec: config.features, sleeves: config.sleeves)
        allocator.overlay = config.overlay
        var scored = allocator
        scored.sharedInputs = setting.validationInputs
        return Outcome(
            allocator: allocator, regimeModel: setting.regimeModel, normalisation: setting.normalisation,
            trainRows: setting.trainRows, validationRows: validationRows,
            history: history,
            validationSharpe: try Simulator.run(scored, on: dataset, settings: setting.validation).metrics.sharpe,
            equalWeightValidationSharpe: try? Simulator.run(EqualWeightListed(), on: dataset, settings: setting.validation)
                .metrics.sharpe,
            config: chosen, selection: selection
        )
    }

    /// What every member of a training on `dataset` trains on: the ranges checked, the regime
    /// model fitted and the features normalised on the training rows, the policy's inputs
    /// through the validation range, its validation backtest and cost model, and the sleeve a
    /// sleeve policy starts on (`progress` hears which).
    package static func prepare(
        _ dataset: Dataset, config: TrainingConfig, name: String, progress: (String) -> Void = { _ in }
    ) throws -> TrainingSetting {
        let (trainRows, validationRows) = try ranges(dataset, config)
        try refuseUnfitData(dataset, config, tradedRows: trainRows.lowerBound...validationRows.upperBound)
        let history0 = dataset.truncated(throughRow: trainRows.upperBound)
        var hmmOptions = GaussianHMM.FitOptions()
        hmmOptions.states = config.regimeStates
        hmmOptions.restarts = config.regimeRestarts
        hmmOptions.seed = config.seed
        guard let observations = try? RegimeObservations(dataset: history0), observations.values.count >= 2 * config.regimeStates
        else {
            throw Failure(
                description: "the training range has too few rows with market features for \(config.regimeStates) regimes")
        }
        let regimeModel = GaussianHMM.fit(observations.values, options: hmmOptions).model
        let table = FeatureBuilder.compute(history0, spec: config.features)
        let normalisation = FeatureNormalisation(
            fitting: table, rows: trainRows.lowerBound..<(trainRows.upperBound + 1), clip: config.features.clip)
        let known = dataset.truncated(throughRow: validationRows.upperBound)
        let inputs = PolicyInputs(
            known, normalisation: normalisation, regimeModel: regimeModel,
            spec: config.features, sleeves: config.sleeves, budget: config.budget)
        guard trainRows.upperBound - config.window > trainRows.lowerBound else {
            throw Failure(
                description: "the training range (\(trainRows.count) rows) is shorter than a window of \(config.window)")
        }
        var validation = BacktestSettings()
        validation.firstReturnRow = validationRows.lowerBound + 1
        validation.lastReturnRow = min(validationRows.upperBound + 1, dataset.rowCount - 1)
        validation.feeBasisPoints = config.feeBps
        validation.assetsUnderManagement = config.aum
        let startSleeve = try startingSleeve(history0, config, trainRows: trainRows)
        if let startSleeve {
            progress(
                "starting on \(Int((config.startShare * 100).rounded()))% \(config.sleeves[startSleeve]) (the sleeve with the best Sharpe over the training rows)"
            )
        }
        return TrainingSetting(
            dataset: dataset, config: config, name: name, inputs: inputs, normalisation: normalisation, regimeModel: regimeModel,
            trainRows: trainRows, validation: validation,
            costs: try DifferentiableCosts(
                .standard(known, feeBasisPoints: config.feeBps, assetsUnderManagement: config.aum)),
            startSleeve: startSleeve)
    }

    /// Refuses data that cannot train `config` (65): an exogenous feature the data lack, an
    /// overlay on an asset without implied volatility, or with `aum:` a decision row of
    /// `tradedRows` (the training and validation rows) at which a listed asset has no volume
    /// over the impact window (`requireVolume`).
    static func refuseUnfitData(_ dataset: Dataset, _ config: TrainingConfig, tradedRows: ClosedRange<Int>) throws(Failure) {
        if let missing = config.features.missingExogenous(in: dataset).first {
            let columns = dataset.exogenous.map(\.name)
            throw Failure(
                description:
                    "features.exogenous names '\(missing)', which the data's features.csv does not have (its columns: \(columns.isEmpty ? "none" : columns.joined(separator: ", ")))"
            )
        }
        if let overlay = config.overlay, dataset.config.impliedVolatility[overlay.asset] == nil {
            throw Failure(
                description:
                    "overlay.asset \(overlay.asset): the data name no implied-volatility column for it (dataset.yaml implied_vol: {\(overlay.asset): COLUMN})"
            )
        }
        if let aum = config.aum { try requireVolume(dataset, assetsUnderManagement: aum, tradedRows: tradedRows) }
    }

    /// With market impact in the loss, the data must price every trade the training and its
    /// validation can make: `ohlcv.csv` present, and at each decision row of `tradedRows` each
    /// listed asset with volume on every listed row of the impact window, as the simulator
    /// requires of a traded asset (contract section 11). Checked before training starts, so a
    /// gap is refused (65, naming the asset and the date) rather than charged nothing.
    static func requireVolume(_ dataset: Dataset, assetsUnderManagement: Double, tradedRows: ClosedRange<Int>)
        throws(Failure)
    {
        guard dataset.dollarVolumes != nil else {
            throw Failure(
                description:
                    "aum: market impact needs the data's ohlcv.csv (volume per asset and date, contract section 11), and the data have none"
            )
        }
        let impact = MarketImpact(dataset, assetsUnderManagement: assetsUnderManagement)
        for row in tradedRows {
            for asset in dataset.assets.indices
            where dataset.price(row: row, asset: asset) != nil && impact.scale(row: row, asset: asset) == nil {
                throw Failure(description: "aum: " + impact.noVolume(asset: asset, row: row).description)
            }
        }
    }

    /// The sleeve a sleeve-mixture policy starts on: of the config's sleeves other than cash,
    /// the one whose baseline has the best Sharpe over the training rows (the plain
    /// simulator at the config's fee and `aum`, deciding from the first row its window fits), the
    /// first listed on a tie or when none has a Sharpe. Nil without sleeves. The training
    /// rows only: the validation range stays for early stopping.
    package static func startingSleeve(_ history: Dataset, _ config: TrainingConfig, trainRows: ClosedRange<Int>) throws -> Int? {
        guard !config.sleeves.isEmpty else { return nil }
        let first = max(trainRows.lowerBound, PolicySleeve.window) + 1
        var settings = BacktestSettings()
        settings.firstReturnRow = first
        settings.lastReturnRow = trainRows.upperBound
        settings.feeBasisPoints = config.feeBps
        settings.assetsUnderManagement = config.aum
        var best: (index: Int, sharpe: Double)?
        for (index, sleeve) in config.sleeves.enumerated() {
            guard case .baseline(let rule) = sleeve else { continue }
            guard first < trainRows.upperBound,
                let sharpe = try? Simulator.run(Baseline(rule, window: PolicySleeve.window), on: history, settings: settings)
                    .metrics
                    .sharpe
            else {
                if best == nil { best = (index, -.infinity) }
                continue
            }
            if best.map({ sharpe > $0.sharpe }) ?? true { best = (index, sharpe) }
        }
        return best?.index
    }

    /// The seed of ensemble member `member`: the config's seed for the first, so a
    /// single-network model is the same with or without ensembles.
    static func memberSeed(_ seed: UInt64, _ member: Int) -> UInt64 {
        seed &+ UInt64(member) &* 0x9E37_79B9_7F4A_7C15
    }

    /// Trains every ensemble member, in member order. Without an epoch budget the members
    /// train in parallel (up to the cores, one BLAS thread each): each has its own seed,
    /// network, optimiser, generator and checkpoint folder and reads the shared inputs only,
    /// so the bytes are those of training them one after another (tested). With a budget
    /// they train one after another, as the budget counts epochs across members.
    private static func trainMembers(
        _ setting: TrainingSetting, checkpoint: URL?, epochBudget: Int?, progress: (String) -> Void
    ) throws -> [MemberTraining] {
        let count = setting.config.ensemble
        func folder(_ member: Int) -> URL? {
            member == 0 ? checkpoint : checkpoint?.appendingPathComponent("member-\(member + 1)")
        }
        guard epochBudget == nil, count > 1 else {
            var epochsThisRun = 0
            return try (0..<count).map { member in
                try trainMember(
                    member, setting, checkpoint: folder(member), epochsThisRun: &epochsThisRun, epochBudget: epochBudget,
                    progress: progress)
            }
        }
        return try BLASThreads.singleThreaded { () throws -> [MemberTraining] in
            try withoutActuallyEscaping(progress) { progress in
                let report = SerialProgress(progress)
                let folders = (0..<count).map(folder)
                return try Parallel.map(count, width: count) { member in
                    Result {
                        var epochsThisRun = 0
                        return try trainMember(
                            member, setting, checkpoint: folders[member], epochsThisRun: &epochsThisRun, epochBudget: nil,
                            progress: report.callAsFunction)
                    }
                }.map { try $0.get() }
            }
        }
    }

    /// Trains one member to the end (or to the run's epoch budget), resuming from and saving
    /// to `checkpoint` after every epoch.
    private static func trainMember(
        _ member: Int, _ setting: TrainingSetting, checkpoint: URL?, epochsThisRun: inout Int, epochBudget: Int?,
        progress: (String) -> Void
    ) throws -> MemberTraining {
        let config = setting.config
        var training = try MemberTraining(member: member, setting: setting)
        let label = config.ensemble > 1 ? "member \(member + 1)/\(config.ensemble)  " : ""
        if let checkpoint, TrainingCheckpoint.restore(&training, from: checkpoint) {
            progress("\(label)resuming after epoch \(training.epoch) from \(checkpoint.path)")
        }
        let started = Date()
        var epochsOfMember = 0
        while !training.isFinished {
            if let epochBudget, epochsThisRun >= epochBudget { throw Paused(epochs: epochsThisRun) }
            let record = try training.step()
            epochsThisRun += 1
            epochsOfMember += 1
            let perEpoch = Date().timeIntervalSince(started) / Double(epochsOfMember)
            let epochsLeft = (config.ensemble - member - 1) * config.epochs + config.epochs - record.epoch
            let sharpe = record.validationSharpe.map { String(format: "%.3f", $0) } ?? "n/a"
            progress(
                label
                    + String(format: "epoch %3d/%d  loss %+.6f  ", record.epoch, config.epochs, record.loss)
                    + "validation Sharpe \(sharpe)  ~\(String(format: "%.0f", perEpoch * Double(epochsLeft))) s left")
            if let checkpoint { try TrainingCheckpoint.save(training, to: checkpoint) }
        }
        return training
    }

    /// The risk term: the variance of the net returns, or a smooth expected shortfall
    /// (Rockafellar and Uryasev): `z + mean(softplus(k (-r - z)) / k) / (1 - c)` with `z` the
    /// batch's empirical VaR held constant and `k = 1000` (sharpness of the smooth max; a 1%-scale return sits 10 units from the kink).
    static func riskTerm<Scalar: TensorScalar>(_ returns: Tensor<Scalar>, _ config: TrainingConfig) -> Tensor<Scalar> {
        switch config.riskMeasure {
        case .variance:
            return (returns - returns.mean()).squared().mean()
        case .cvar:
            let losses = returns.scalars.map { -$0 }.sorted()
            let index = min(losses.count - 1, Int(Double(losses.count) * config.cvarConfidence))
            let z = losses[index]
            let k: Scalar = 1000
            let excess = ((-returns - z) * k).softplus() * (1 / k)
            return excess.mean() * Scalar(1 / (1 - config.cvarConfidence)) + z
        }
    }

    /// The per-period Sharpe ratio of all the returns in `returns`: `mean / sqrt(var + 1e-12)`
    /// (population variance; the small floor keeps a flat batch finite).
    package static func sharpe<Scalar: TensorScalar>(_ returns: Tensor<Scalar>) -> Tensor<Scalar> {
        let mean = returns.mean()
        return mean / ((returns - mean).squared().mean() + Scalar(1e-12)).squareRoot()
    }

    /// The configured ranges, or the first 70% and next 15% of rows.
    static func ranges(_ dataset: Dataset, _ config: TrainingConfig) throws -> (ClosedRange<Int>, ClosedRange<Int>) {
        func parse(_ text: String?, key: String) throws -> ClosedRange<Int>? {
            guard let text else { return nil }
            let parts = text.components(separatedBy: "..")
            guard parts.count == 2, let a = Timestamp(parsing: parts[0]), let b = Timestamp(parsing: parts[1]) else {
                throw Failure(description: "\(key) must be YYYY-MM-DD..YYYY-MM-DD; found '\(text)'")
            }
            guard let first = dataset.dates.firstIndex(where: { $0.day >= a.day }),
                let last = dataset.dates.lastIndex(where: { $0.day <= b.day }), first < last
            else {
                throw Failure(description: "\(key) \(text) holds no rows of the dataset")
            }
            return first...last
        }
        let t = dataset.rowCount
        let train = try parse(config.train, key: "train") ?? 0...(Int(Double(t) * 0.7) - 1)
        let validate = try parse(config.validate, key: "validate") ?? (train.upperBound + 1)...min(Int(Double(t) * 0.85), t - 2)
        guard validate.lowerBound > train.upperBound, validate.upperBound < t - 1 else {
            throw Failure(description: "the validation range must follow the training range and end before the last row")
        }
        return (train, validate)
    }
}

/// Equal weight over the assets listed at the decision row (the validation reference).
struct EqualWeightListed: Allocator {
    var name: String { "equal-weight" }
    func firstDecisionRow(in market: Dataset) -> Int { 0 }
    func allocate(_ view: MarketView) throws -> Allocation {
        let market = view.history
        let row = view.row
        let listed = market.assets.indices.map { market.price(row: row, asset: $0) != nil }
        let count = Double(max(listed.filter { $0 }.count, 1))
        return Allocation(weights: listed.map { $0 ? 1 / count : 0 })
    }
}

/// A progress callback that members training on several threads may call: one call at a time.
private final class SerialProgress: @unchecked Sendable {
    private let lock = NSLock()
    private let report: (String) -> Void

    init(_ report: @escaping (String) -> Void) { self.report = report }

    func callAsFunction(_ line: String) {
        lock.lock()
        defer { lock.unlock() }
        report(line)
    }
}
