extension Dataset {
    /// Whether some asset is held through something other than itself or its perp: futures
    /// (kind `future`) or an instrument that `instrument: auto` chooses.
    package var holdsDerivatives: Bool { !instruments.isEmpty || !underlyingCloses.isEmpty }

    /// The same market with every asset held through futures or an auto-chosen instrument
    /// held spot instead (its `prices.csv` closes, no rolls, no funding): the reference that
    /// shows what holding through derivatives earned (`regimen backtest` reports both).
    package func heldAtSpot() -> Dataset {
        guard holdsDerivatives else { return self }
        let n = assets.count
        var values = Array(prices)
        var listed = firstRows
        var config = config
        for (asset, name) in assets.enumerated() {
            guard let closes = underlyingCloses[name] else { continue }
            for row in 0..<rowCount { values[row * n + asset] = closes[row] }
            listed[asset] = closes.firstIndex { !$0.isNaN } ?? rowCount
            config.kinds[name] = .spot
        }
        config.autoInstrument = []
        config.autoForAll = false
        var spot = Dataset(
            dates: dates, assets: assets, prices: values[...], firstRows: listed,
            funding: funding.filter { underlyingCloses[$0.asset] == nil }, exogenous: exogenous, config: config,
            periodsPerYear: periodsPerYear)
        spot.futures = futures
        spot.dollarVolumes = dollarVolumes
        return spot
    }
}
