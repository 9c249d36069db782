import Backtest
import Features
import Foundation
import Market
import Policy
import Portfolio
import Support
import TensorModule
import TestSupport
import Testing
import Training

/// Fixed weights on the assets listed at the decision row (0 on the others, the rest in cash):
/// a constant mix that buys each asset when it lists.
struct ListedWeights: Allocator {
    let weights: [Double]
    var name: String { "listed-fixed" }
    func firstDecisionRow(in market: Dataset) -> Int { 0 }
    func allocate(_ view: MarketView) throws -> Allocation {
        Allocation(weights: weights.indices.map { view.history.price(row: view.row, asset: $0) == nil ? 0 : weights[$0] })
    }
}

/// Market impact inside the training loss (contract section 11, `aum:`): the accounting
/// charges exactly what the simulator charges, its gradient is right (a weight that does not
/// move included), `aum: 0` changes nothing, and data that cannot price a trade are refused.
@Suite("Market impact in training (aum:)")
struct ImpactTrainingTests {
    /// Mean daily dollar volume per asset of `market(volumeGap:)`: 100x apart from the first
    /// asset to the last.
    static let dailyVolume = [2e10, 2e9, 2e9, 2e8]

    /// A synthetic market of 4 assets over 200 days whose last two are dated futures listed
    /// mid-data (rows 26 and 53) and roll monthly, with `ohlcv.csv` in USD (`volume_unit:
    /// quote`): each asset's volume wiggles around `dailyVolume`. `volumeGap` leaves one
    /// asset's volume out on one row.
    static func market(volumeGap: (asset: Int, row: Int)? = nil, ohlcv: Bool = true) throws -> (Dataset, URL) {
        let directory = try Fixtures.temporaryDirectory()
        var files = SyntheticMarket(assets: 4, periods: 200, seed: 3, futures: 2).files
        if ohlcv {
            try files.write(to: directory)
            let prices = try DatasetReader.load(directory: directory.path)
            files.files["dataset.yaml"]! += "volume_unit: quote\n"
            var text = "date,asset,volume\n"
            for row in 0..<prices.rowCount {
                for asset in prices.assets.indices where prices.price(row: row, asset: asset) != nil {
                    let wiggle = 1 + 0.5 * sin(Double(row) * 0.7 + Double(asset))
                    let volume = volumeGap.map { $0 == (asset, row) } == true ? "" : "\(dailyVolume[asset] * wiggle)"
                    text += "\(prices.dates[row]),\(prices.assets[asset]),\(volume)\n"
                }
            }
            files.files["ohlcv.csv"] = text
        } else {
            files.files["ohlcv.csv"] = nil  // the generator writes one
        }
        try files.write(to: directory)
        return (try DatasetReader.load(directory: directory.path), directory)
    }

    /// The simulator's cost model on `market` at 25 bps, in its differentiable form.
    static func costs(_ market: Dataset, aum: Double?) throws -> DifferentiableCosts {
        try DifferentiableCosts(.standard(market, feeBasisPoints: 25, assetsUnderManagement: aum))
    }

    /// One decision row's next returns (Float64, 0 where not listed) and roll flags, `[1, N]`.
    static func row(_ market: Dataset, _ row: Int) -> (returns: Tensor<Double>, rolling: Tensor<Double>) {
        let n = market.assets.count
        let returns = (0..<n).map { market.simpleReturn(row: row + 1, asset: $0) ?? 0 }
        return (
            Tensor(shape: [1, n], scalars: returns), Tensor(shape: [1, n], scalars: market.rolls(atRow: row).map { $0 ? 1 : 0 })
        )
    }

    @Test(
        "with aum, the differentiable accounting's returns equal the simulator's to 1e-12 through roll days and a listing (negative control: impact moves them)"
    )
    func matchesSimulator() throws {
        let (market, _) = try Self.market()
        let weights = [0.3, 0.2, 0.2, 0.15]
        var settings = BacktestSettings()
        settings.firstReturnRow = 41
        settings.lastReturnRow = 180
        settings.feeBasisPoints = 25
        settings.assetsUnderManagement = 1e8
        let charged = try Simulator.run(ListedWeights(weights: weights), on: market, settings: settings)
        settings.assetsUnderManagement = nil
        let feesOnly = try Simulator.run(ListedWeights(weights: weights), on: market, settings: settings)
        let costs = try Self.costs(market, aum: 1e8)
        var held = Tensor<Double>.zeros([1, 4])
        var wealth: Tensor<Double>?
        var rolls = 0
        for (k, period) in charged.periods.enumerated() {
            let decision = 40 + k
            let w = weights.indices.map { market.price(row: decision, asset: $0) == nil ? 0 : weights[$0] }
            let (returns, rolling) = Self.row(market, decision)
            rolls += rolling.scalars.filter { $0 == 1 }.count
            let (net, next) = DifferentiableAccounting.step(
                weights: Tensor(shape: [1, 5], scalars: w + [1 - w.reduce(0, +)]), held: held, nextReturns: returns,
                rolling: rolling, wealthBefore: wealth, costs: costs, decisionRows: [decision])
            #expect(Swift.abs(net.scalar - period.netReturn) <= 1e-12, "period \(k): \(net.scalar) vs \(period.netReturn)")
            held = next
            wealth = wealth.map { $0 * (net + 1) } ?? (net + 1)
        }
        #expect(charged.periods.count == 140 && rolls >= 3, "\(rolls) roll legs")
        // SYN4 lists inside the range (row 53), so its first purchase pays impact with a borrowed sigma.
        #expect(market.price(row: 40, asset: 3) == nil && market.price(row: 53, asset: 3) != nil)
        let moved = zip(charged.periods, feesOnly.periods).map { $1.netReturn - $0.netReturn }
        #expect(moved[0] > 1e-4 && moved[13] > 1e-5 && moved.allSatisfy { $0 > 0 }, "\(moved.prefix(15))")
    }

    @Test("with impact, the policy's gradient through a rollout over a roll passes a central-difference check in Float64")
    func rolloutGradient() throws {
        let (market, _) = try Self.market()
        let inputs = PolicyInputs(
            market, normalisation: FeatureNormalisation(fitting: FeatureBuilder.compute(market), rows: 0..<100, clip: 5),
            regimeModel: nil)
        let network = PolicyNetwork<Double>(
            scorerInputs: inputs.scorerInputs, cashInputs: inputs.cashInputs, hidden: [4], seed: 5)
        let rollRow = try #require((120...190).first { inputs.rolling[$0].contains(1) })
        let holding: [[Double]] = [[0.2, 0.3, 0.1, 0.1], [0.1, 0.1, 0.3, 0.2]]
        func loss(_ costs: DifferentiableCosts) -> Tensor<Double> {
            let returns = PolicyRollout.netReturns(
                network, inputs, starts: [rollRow - 1, 110], length: 3, costs: costs, initialHolding: holding)
            return (returns + 1).log().mean() - returns.squared().mean()
        }
        let costs = try Self.costs(market, aum: 1e8)
        let report = GradientCheck.check(inputs: [], parameters: network.parameters, relative: 1e-5, absolute: 1e-8) { _ in
            loss(costs)
        }
        #expect(report.passed, "\(report)")
        #expect(report.checked == network.parameters.reduce(0) { $0 + $1.shape.elementCount })
        // Negative control: the impact term is in the loss.
        #expect(try loss(Self.costs(market, aum: nil)).scalar > loss(costs).scalar)
    }

    @Test(
        "with impact, the accounting's gradient w.r.t. the weights passes a central-difference check over two steps, with a weight that does not move (d = 0) and a roll sold to 0"
    )
    func weightGradient() throws {
        let (market, _) = try Self.market()
        let rollRow = try #require((60...190).first { market.rolls(atRow: $0).contains(true) })
        let rolled = try #require(market.rolls(atRow: rollRow).firstIndex(of: true))
        let rows = [100, rollRow]
        let held = Tensor<Double>(shape: [2, 4], scalars: [0.25, 0.2, 0.15, 0.1, 0.1, 0.3, 0.2, 0.2])
        var second = [0.2, 0.1, 0.25, 0.25]
        second[rolled] = 0
        // Batch row 1 keeps asset 0 at its held weight (d = 0); batch row 2 sells the rolling asset out.
        let first = Tensor<Double>(shape: [2, 5], scalars: [0.25, 0.35, 0.1, 0.2, 0.1] + second + [1 - second.reduce(0, +)])
        let next = Tensor<Double>(shape: [2, 5], scalars: [0.3, 0.3, 0.1, 0.1, 0.2, 0.15, 0.15, 0.3, 0.2, 0.2])
        let (today, tomorrow) = (rows.map { Self.row(market, $0) }, rows.map { Self.row(market, $0 + 1) })
        func stacked(_ parts: [Tensor<Double>]) -> Tensor<Double> { Tensor.concatenated(parts, alongAxis: 0) }
        let costs = try Self.costs(market, aum: 1e8)
        let report = GradientCheck.check(inputs: [first, next]) { leaves in
            let (net, held1) = DifferentiableAccounting.step(
                weights: leaves[0], held: held, nextReturns: stacked(today.map(\.returns)),
                rolling: stacked(today.map(\.rolling)), costs: costs, decisionRows: rows)
            let (later, _) = DifferentiableAccounting.step(
                weights: leaves[1], held: held1, nextReturns: stacked(tomorrow.map(\.returns)),
                rolling: stacked(tomorrow.map(\.rolling)), wealthBefore: net + 1, costs: costs, decisionRows: rows.map { $0 + 1 })
            return Tensor.concatenated([net.reshaped([2, 1]), later.reshaped([2, 1])], alongAxis: 1)
        }
        #expect(report.passed, "\(report)")
        #expect(report.checked == 20)
        // Negative control: `d sqrt(d)`, the simulator's form, has no finite derivative at d = 0.
        let zero = Tensor<Double>(shape: [1], scalars: [0]).requiringGradient()
        #expect(try #require((zero * zero.squareRoot()).sum().gradients()[zero]).scalars[0].isNaN)
        #expect(try #require(zero.pow(1.5).sum().gradients()[zero]).scalars == [0])
    }

    @Test("aum 0 gives the loss, gradients and trained model of no aum, bit for bit (negative control: aum 1e8 does not)")
    func zeroAum() throws {
        let (market, _) = try Self.market()
        let inputs = PolicyInputs(
            market, normalisation: FeatureNormalisation(fitting: FeatureBuilder.compute(market), rows: 0..<100, clip: 5),
            regimeModel: nil)
        let network = PolicyNetwork<Float>(scorerInputs: inputs.scorerInputs, cashInputs: inputs.cashInputs, hidden: [8], seed: 3)
        let starts = [60, 100, 121, 150]
        let holding = starts.map { row in inputs.listed[row].map { $0 / inputs.listed[row].reduce(0, +) } }
        func bits(_ aum: Double?) throws -> [UInt32] {
            let costs = try DifferentiableCosts(.standard(market, feeBasisPoints: 10, assetsUnderManagement: aum))
            let returns = PolicyRollout.netReturns(
                network, inputs, starts: starts, length: 10, costs: costs, initialHolding: holding)
            let loss = (returns - returns.mean()).squared().mean() - (returns + 1).log().mean()
            let gradients = loss.gradients()
            return [loss.scalar.bitPattern] + network.parameters.flatMap { gradients[$0]?.scalars.map(\.bitPattern) ?? [] }
        }
        let none = try bits(nil)
        #expect(none.count > 1)
        #expect(try bits(0) == none)
        #expect(try bits(1e8)[0] != none[0])
        // The whole training, validation backtests included, gives the same losses and parameters.
        func trained(_ aum: Double?) throws -> [UInt64] {
            var config = TrainingConfig.small(epochs: 2, stepsPerEpoch: 2)
            config.aum = aum
            let outcome = try PolicyTrainer.train(market, config: config, name: "zero")
            let parameters = outcome.allocator.members[0].parameters.flatMap { $0.value.scalars.map { UInt64($0.bitPattern) } }
            return outcome.history.map(\.loss.bitPattern) + parameters
        }
        let untouched = try trained(nil)
        #expect(try trained(0) == untouched)
        #expect(try trained(1e8) != untouched)
    }

    /// `regimen train`'s job on `data` with a small config that sets `aum: 100000000`, into a
    /// fresh registry: the error it throws (nil when it trains) and whether the model folder exists.
    static func train(_ data: URL, aum: Bool = true) throws -> (
        error: (any Error)?, folder: Bool, config: String, manifest: String?
    ) {
        let directory = try Fixtures.temporaryDirectory()
        let config = directory.appendingPathComponent("impact.yaml").path
        let text = """
            regime_states: 2
            regime_restarts: 1
            hidden: [8]
            window: 10
            batch: 8
            epochs: 1
            steps_per_epoch: 1
            ensemble: 1
            \(aum ? "aum: 100000000" : "")

            """
        try text.write(toFile: config, atomically: true, encoding: .utf8)
        let models = directory.appendingPathComponent("models")
        var plan = TrainingJob.Plan(dataDirectory: data.path, configPath: config, modelsDirectory: models.path, name: "impact")
        plan.quiet = true
        var thrown: (any Error)?
        do { _ = try TrainingJob.run(plan) { _ in } } catch { thrown = error }
        let folder = models.appendingPathComponent("impact")
        let manifest = try? String(contentsOf: folder.appendingPathComponent("1/manifest.json"), encoding: .utf8)
        return (thrown, FileManager.default.fileExists(atPath: folder.path), config, manifest)
    }

    @Test(
        "aum on data without ohlcv.csv, or with a traded row lacking an asset's volume, is refused 65 naming the config, asset and date, leaving no model folder (negative control: a gap after the validation range trains)"
    )
    func refusals() throws {
        let (bare, bareDirectory) = try Self.market(ohlcv: false)
        #expect(bare.dollarVolumes == nil)
        let noFile = try Self.train(bareDirectory)
        let noFileError = try #require(noFile.error as? any ReportableError)
        #expect(noFileError.exitStatus == 65 && !noFile.folder)
        #expect(noFileError.description.hasPrefix(noFile.config + ": aum: ") && noFileError.description.contains("ohlcv.csv"))

        let (gapped, gapDirectory) = try Self.market(volumeGap: (asset: 3, row: 100))
        let gap = try Self.train(gapDirectory)
        let gapError = try #require(gap.error as? any ReportableError, "a gap in the training rows must be refused")
        #expect(gapError.exitStatus == 65 && !gap.folder)
        let date = gapped.dates[100].description
        #expect(
            gapError.description.hasPrefix(gap.config + ": aum: ") && gapError.description.contains("SYN4 on \(date)"),
            "\(gapError.description)")

        // Negative controls: without aum the gap does not matter; after the validation range
        // (rows 140..170 by default, impact windows ending there) no trade meets it.
        let plain = try Self.train(gapDirectory, aum: false)
        #expect(plain.error == nil && plain.folder && plain.manifest?.contains("\"aum\"") == false)
        let (_, lateDirectory) = try Self.market(volumeGap: (asset: 3, row: 190))
        let late = try Self.train(lateDirectory)
        #expect(late.error == nil && late.folder, "\(String(describing: late.error))")
        // The manifest records the key, as every key of the config.
        #expect(late.manifest?.contains("\"aum\" : 100000000,") == true, "\(late.manifest ?? "no manifest")")
    }
}
