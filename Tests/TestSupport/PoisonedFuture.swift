// Tests build in debug, where modules are compiled for testing; `swift build -c release`
// (scripts/setup.sh) also builds this target, without testability, so the helper that needs
// `Dataset`'s internal initialiser exists in debug builds only.
#if DEBUG
    @testable import Market

    extension Dataset {
        /// The same market with every price after `row` changed (tripled or cut to a fifth,
        /// alternately), for no-look-ahead tests: whatever a decision at or before `row` sees
        /// must not move.
        package func poisoned(afterRow row: Int) -> Dataset {
            var changed = prices
            for index in ((row + 1) * assets.count)..<changed.count where !changed[index].isNaN {
                changed[index] *= index % 2 == 0 ? 3 : 0.2
            }
            return Dataset(
                dates: dates, assets: assets, prices: changed, firstRows: firstRows, funding: funding, exogenous: exogenous,
                config: config, periodsPerYear: periodsPerYear)
        }
    }
#endif
