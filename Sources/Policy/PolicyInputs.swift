import Features
import Market
import Regimes

/// What the policy sees at each row, precomputed once: normalised per-asset and market
/// features (missing values 0, the normalised mean), the regime model's filtered
/// probabilities (uniform before its observations start), which assets are listed, and
/// what each asset earns and pays in the next period (for training only), and, for a
/// sleeve-mixture policy, each sleeve's portfolio.
///
/// Features at row t use data up to t only (tested in `FeaturesTests`), so precomputing them
/// over a whole range gives each row exactly what it would have seen then.
/// Shape legend: T rows, N assets, Fa per-asset features, Fm market features, K regimes,
/// S sleeves.
package struct PolicyInputs: Sendable {
    package let assets: Int
    package let assetFeatureCount: Int
    package let marketFeatureCount: Int
    package let regimes: Int
    /// `[T][N * Fa]`.
    package let assetFeatures: [[Float]]
    /// `[T][Fm + K]`: market features then regime probabilities.
    package let marketFeatures: [[Float]]
    /// `[T][N]`: 1 where the asset has a price.
    package let listed: [[Float]]
    /// `[T][N]`: simple return from row t to t + 1 (0 when not listed or at the end).
    package let nextReturns: [[Float]]
    /// `[T][N]`: 1 where a decision at row t rolls the asset's futures contract.
    package let rolling: [[Float]]
    /// Whether any asset ever rolls (else `rolling` is all zeros and can be skipped).
    package let rollsAnyAsset: Bool
    /// The sleeves, in the policy's order (empty for a policy without sleeves).
    package let sleeves: [PolicySleeve]
    /// `[T][S * (N + 1)]`: each sleeve's weights at the row (cash last), from the market
    /// through the row only (`Dataset.view(throughRow:)`).
    package let sleeveWeights: [[Float]]
    /// `[T]`: the risk-budget policy's core at each row (empty without a design; nil where
    /// no asset has a full window or the row is not materialised).
    package let cores: [BudgetCore?]
    /// `[T]`: each row's date as days since 1970-01-01 (the risk-budget policy's cadence).
    package let days: [Int]
    /// `[T]`: the share of the portfolio in the core at each row: the core's volatility
    /// scale times the regime gate (empty without a design; 0 without a core).
    package let exposures: [Double]

    /// Inputs for every row of `dataset`.
    /// - Parameters:
    ///   - features: the dataset's raw features, when already computed with `spec`.
    ///   - sleeves: the sleeves whose portfolios to compute.
    ///   - budget: the risk-budget design whose cores and exposures to compute.
    ///   - onlyRows: materialise only these rows (the daily job needs one); others are empty.
    package init(
        _ dataset: Dataset, normalisation: FeatureNormalisation, regimeModel: GaussianHMM?, spec: FeatureSpec = FeatureSpec(),
        features: FeatureTable? = nil, sleeves: [PolicySleeve] = [], budget: BudgetDesign? = nil,
        onlyRows: ClosedRange<Int>? = nil
    ) {
        let raw = features ?? FeatureBuilder.compute(dataset, spec: spec)
        let table = normalisation.normalising(raw)
        let t = dataset.rowCount
        let n = dataset.assets.count
        assets = n
        assetFeatureCount = raw.assetFeatures.count
        marketFeatureCount = raw.marketFeatures.count
        regimes = regimeModel?.states ?? 0
        var regimeRows = [[Float]](
            repeating: regimeModel.map { m in Array(repeating: Float(1) / Float(m.states), count: m.states) } ?? [], count: t)
        var turbulent = [Double?](repeating: nil, count: t)
        if let regimeModel, let observations = try? RegimeObservations(dataset: dataset, table: raw) {
            for (row, p) in zip(observations.rows, regimeModel.filteredProbabilities(observations.values)) {
                regimeRows[row] = p.map(Float.init)
                turbulent[row] = p.last
            }
        }
        let wanted = onlyRows ?? 0...(t - 1)
        (cores, exposures) = Self.budgetRows(dataset, budget, wanted: wanted, turbulentProbability: turbulent)
        days = dataset.dates.map {
            Int(($0.secondsSinceEpoch >= 0 ? $0.secondsSinceEpoch : $0.secondsSinceEpoch - 86_399) / 86_400)
        }
        assetFeatures = (0..<t).map { row in
            guard wanted.contains(row) else { return [] }
            return (0..<n).flatMap { asset in
                (0..<raw.assetFeatures.count).map { Float(table.value(row: row, asset: asset, feature: $0) ?? 0) }
            }
        }
        marketFeatures = (0..<t).map { row in
            guard wanted.contains(row) else { return [] }
            return (0..<raw.marketFeatures.count).map { Float(table.marketValue(row: row, feature: $0) ?? 0) } + regimeRows[row]
        }
        self.sleeves = sleeves
        sleeveWeights = (0..<t).map { row in
            guard wanted.contains(row), !sleeves.isEmpty else { return [] }
            let view = dataset.view(throughRow: row)
            return sleeves.flatMap { $0.weights(view).map(Float.init) }
        }
        let listedRows: [[Float]] = (0..<t).map { row in (0..<n).map { dataset.price(row: row, asset: $0) == nil ? 0 : 1 } }
        listed = listedRows
        nextReturns = (0..<t).map { row in
            (0..<n).map { asset in
                guard row + 1 < t, let now = dataset.price(row: row, asset: asset),
                    let next = dataset.price(row: row + 1, asset: asset)
                else { return 0 }
                return Float(next / now - 1)
            }
        }
        rolling = (0..<t).map { row in dataset.rolls(atRow: row).map { $0 ? 1 : 0 } }
        rollsAnyAsset = rolling.contains { $0.contains(1) }
    }

    /// Inputs given row by row (a fixture's rows read back), for a policy without sleeves:
    /// no sleeve weights or dates; `rollsAnyAsset` follows from `rolling`. Arrays are per row,
    /// with the widths of the legend above; `cores` and `exposures` are a risk-budget policy's
    /// (empty without one).
    package init(
        assets: Int, assetFeatureCount: Int, marketFeatureCount: Int, regimes: Int, assetFeatures: [[Float]],
        marketFeatures: [[Float]], listed: [[Float]], nextReturns: [[Float]], rolling: [[Float]],
        cores: [BudgetCore?] = [], exposures: [Double] = []
    ) {
        self.assets = assets
        self.assetFeatureCount = assetFeatureCount
        self.marketFeatureCount = marketFeatureCount
        self.regimes = regimes
        self.assetFeatures = assetFeatures
        self.marketFeatures = marketFeatures
        self.listed = listed
        self.nextReturns = nextReturns
        self.rolling = rolling
        rollsAnyAsset = rolling.contains { $0.contains(1) }
        self.cores = cores
        self.exposures = exposures
        (sleeves, sleeveWeights, days) = ([], [], [])
    }

    /// The risk-budget design's core and exposure at each row (both empty without a design).
    static func budgetRows(_ dataset: Dataset, _ design: BudgetDesign?, wanted: ClosedRange<Int>, turbulentProbability: [Double?])
        -> ([BudgetCore?], [Double])
    {
        guard let design else { return ([], []) }
        let gates = design.gate.map { RegimeGate.path($0, turbulentProbability: turbulentProbability) }
        var cores = [BudgetCore?](repeating: nil, count: dataset.rowCount)
        var exposures = [Double](repeating: 0, count: dataset.rowCount)
        for row in wanted {
            guard let core = BudgetCore(dataset, row: row, design: design) else { continue }
            cores[row] = core
            exposures[row] = core.volatilityScale * (gates?[row] ?? 1)
        }
        return (cores, exposures)
    }

    /// Width of the per-asset scorer's input: asset features, market features and regimes,
    /// and the asset's held weight.
    package var scorerInputs: Int { assetFeatureCount + marketFeatureCount + regimes + 1 }
    /// Width of the cash scorer's input.
    package var cashInputs: Int { marketFeatureCount + regimes }
}
