import Foundation
import Support

/// A Markov regime-switching market for tests and the quick start (contract section 5).
///
/// Three regimes (`r0` calm, `r1` trending, `r2` crisis, ordered by volatility) differ in
/// drift, volatility and correlation; shocks are Student-t with 4 degrees of freedom scaled
/// to unit variance (fat tails); correlation comes from one market factor whose loading
/// rises with the regime; assets list at staggered dates; the first half of the assets are
/// perps whose funding leans with their 20-period momentum; `features.csv` carries an
/// implied-vol index (every day) and a macro series (weekdays only); `regimes.csv` is the
/// true path. With `futures: K`, the last K assets are of kind `future`, held through monthly
/// contracts of `futures.csv` (`SyntheticFutures`); `ohlcv.csv` gives every asset a daily
/// volume, the assets' liquidity spread over 2.5 orders of magnitude (`SyntheticVolumes`).
/// Everything is drawn from seeded generators: same seed, same bytes.
package struct SyntheticMarket: Sendable {
    /// One regime's parameters, per period.
    struct Regime {
        let label: String
        let drift: Double
        let volatility: Double
        let correlation: Double
        let stay: Double
    }

    static let regimes = [
        Regime(label: "r0", drift: 0.0008, volatility: 0.018, correlation: 0.25, stay: 0.985),
        Regime(label: "r1", drift: 0.0025, volatility: 0.032, correlation: 0.45, stay: 0.97),
        Regime(label: "r2", drift: -0.0045, volatility: 0.065, correlation: 0.80, stay: 0.93),
    ]

    /// The dataset's files, `regimes.csv` included.
    package let files: DatasetFiles
    /// The true regime index of every row.
    package let regimePath: [Int]

    /// Generates `periods` daily rows of `assets` assets from 2018-01-01, the last `futures`
    /// of them held through dated futures.
    /// - Precondition: `assets >= 2`, `periods >= 30`, `0 <= futures <= assets / 2` (the
    ///   futures are taken from the spot half).
    package init(assets: Int, periods: Int, seed: UInt64, futures: Int = 0) {
        precondition(assets >= 2 && periods >= 30, "SyntheticMarket: need at least 2 assets and 30 periods")
        precondition((0...(assets / 2)).contains(futures), "SyntheticMarket: futures must be from 0 to assets / 2")
        var g = SeededGenerator(seed: seed)
        let names = (0..<assets).map { "SYN\($0 + 1)" }
        let start = Timestamp(year: 2018, month: 1, day: 1)
        let dates = (0..<periods).map {
            Timestamp(secondsSinceEpoch: start.secondsSinceEpoch + Int64($0) * 86_400, isDateOnly: true)
        }
        // Staggered listings: two assets from the start, the rest spread over the first 40%.
        let listings = (0..<assets).map { $0 < 2 ? 0 : Int(Double(periods) * 0.4 * Double($0 - 1) / Double(assets - 1)) }
        let perps = Set(0..<((assets + 1) / 2))
        let draw = Draw(dates: dates, listings: listings, perps: perps, generator: &g)
        var files = DatasetFiles()
        files.files["prices.csv"] = DatasetFiles.wideCSV(dates: dates, names: names, rows: draw.prices)
        let perpNames = names.enumerated().filter { perps.contains($0.offset) }.map(\.element)
        files.files["funding.csv"] = DatasetFiles.wideCSV(dates: dates, names: perpNames, rows: draw.funding)
        files.files["features.csv"] = DatasetFiles.wideCSV(dates: dates, names: ["IV_INDEX", "MACRO"], rows: draw.features)
        files.files["ohlcv.csv"] = SyntheticVolumes.csv(dates: dates, names: names, closes: draw.prices, seed: seed)
        let futureAssets = (assets - futures)..<assets
        if futures > 0 {
            files.files["futures.csv"] = SyntheticFutures.csv(
                dates: dates, assets: futureAssets.map { (names[$0], draw.spot[$0], listings[$0]) }, seed: seed)
        }
        files.files["regimes.csv"] = "date,regime\n" + zip(dates, draw.path).map { "\($0),\(Self.regimes[$1].label)\n" }.joined()
        files.files["dataset.yaml"] = """
            # Synthetic regime-switching market (regimen data synth --assets \(assets) --periods \(periods) --seed \(seed)\(futures > 0 ? " --futures \(futures)" : "")).
            periods_per_year: 365
            fee_bps: 10
            kind:
            \(names.enumerated().map { "  \($1): \(perps.contains($0) ? "perp" : futureAssets.contains($0) ? "future" : "spot")" }.joined(separator: "\n"))

            """
        self.files = files
        self.regimePath = draw.path
    }

    /// What the market's generator draws, row by row: the regime path, every asset's spot
    /// close (before its listing too, for the futures), and the cells of `prices.csv`,
    /// `funding.csv` and `features.csv`.
    struct Draw {
        var path: [Int] = []
        var spot: [[Double]]
        var prices: [[String?]] = []
        var funding: [[String?]] = []
        var features: [[String?]] = []

        /// Draws a row per date for assets listed at `listings` (rows), `perps` paying funding.
        init(dates: [Timestamp], listings: [Int], perps: Set<Int>, generator g: inout SeededGenerator) {
            let assets = listings.count
            let loadings = (0..<assets).map { 0.8 + 0.8 * Double($0) / Double(max(assets - 1, 1)) }
            var regime = 0
            var logPrices = (0..<assets).map { _ in Foundation.log(20 + 180 * g.nextUnitInterval()) }
            var history: [[Double]] = Array(repeating: [], count: assets)
            spot = Array(repeating: [], count: assets)
            var impliedVolatility = regimes[0].volatility * Foundation.sqrt(365) * 100
            var macro = 100.0
            for row in dates.indices {
                if row > 0 { regime = nextRegime(after: regime, &g) }
                path.append(regime)
                let r = regimes[regime]
                let factor = studentT(&g)
                var prices: [String?] = []
                var funding: [String?] = []
                for asset in 0..<assets {
                    let idiosyncratic = studentT(&g)
                    let shock = r.correlation.squareRoot() * factor + (1 - r.correlation).squareRoot() * idiosyncratic
                    let ret = r.drift + r.volatility * loadings[asset] * shock
                    if row > listings[asset] { logPrices[asset] += ret }
                    spot[asset].append(Foundation.exp(logPrices[asset]))
                    guard row >= listings[asset] else {
                        prices.append(nil)
                        if perps.contains(asset) { funding.append(nil) }
                        continue
                    }
                    history[asset].append(logPrices[asset])
                    prices.append(DatasetFiles.number(Foundation.exp(logPrices[asset]), significant: 8))
                    if perps.contains(asset) {
                        let h = history[asset]
                        let momentum = h.count > 20 ? h[h.count - 1] - h[h.count - 21] : 0
                        let rate = 0.0001 + 0.0006 * Foundation.tanh(momentum * 4) + 0.00005 * g.nextStandardNormal()
                        funding.append(DatasetFiles.number((rate * 1e8).rounded() / 1e8, significant: 6))
                    }
                }
                let target = r.volatility * Foundation.sqrt(365) * 100
                impliedVolatility += 0.2 * (target - impliedVolatility) + 1.5 * g.nextStandardNormal()
                macro += 0.02 * (100 - macro) + 0.3 * g.nextStandardNormal() - (regime == 2 ? 0.15 : 0)
                let weekday = dates[row].weekday < 5
                features.append([
                    DatasetFiles.number((max(impliedVolatility, 5) * 100).rounded() / 100, significant: 8),
                    weekday ? DatasetFiles.number((macro * 100).rounded() / 100, significant: 8) : nil,
                ])
                self.prices.append(prices)
                self.funding.append(funding)
            }
        }
    }

    /// The regime after `current`: stay with the regime's probability, else move to one of
    /// the others uniformly.
    static func nextRegime(after current: Int, _ g: inout SeededGenerator) -> Int {
        let u = g.nextUnitInterval()
        let stay = regimes[current].stay
        if u < stay { return current }
        let others = (0..<regimes.count).filter { $0 != current }
        return others[min(Int((u - stay) / (1 - stay) * Double(others.count)), others.count - 1)]
    }

    /// A Student-t draw with 4 degrees of freedom scaled to unit variance:
    /// `z / sqrt(chi2_4 / 4) * sqrt(2 / 4)`.
    static func studentT(_ g: inout SeededGenerator) -> Double {
        let z = g.nextStandardNormal()
        var chiSquare = 0.0
        for _ in 0..<4 {
            let e = g.nextStandardNormal()
            chiSquare += e * e
        }
        return z / (chiSquare / 4).squareRoot() * (0.5).squareRoot()
    }
}
