import Market
import Options
import Portfolio
import Risk
import Support

/// The one simulator every allocator meets (contract Appendix A, "Accounting").
///
/// The decision at the close of row d is made from `market.view(throughRow: d)`, so an
/// allocator cannot see a later row; it is held during period d + 1 and earns that period's
/// returns. Every decision goes through the `DecisionStep` the daily job uses (limits, then the
/// options overlay); every period is charged the `CostModel` the training differentiates
/// (fees on traded weight, both legs of a futures roll, funding on perps held). Between trades
/// weights drift (`WeightDrift`); an asset takes part from its listing on.
package enum Simulator {
    /// Why a backtest cannot run on the data: the range does not fit it, or the allocator put
    /// weight on an asset before it lists (65).
    package struct Failure: ReportableError {
        package let description: String
        package var exitStatus: Int32 { ExitStatus.badData }
    }

    /// Simulates `allocator` on `market` with `settings`.
    /// - Throws: `Failure` for a range that does not fit, or an allocator's failure.
    package static func run(_ allocator: any Allocator, on market: Dataset, settings: BacktestSettings) throws -> BacktestResult {
        let rows = try returnRows(allocator, market, settings)
        var run = try SimulationRun(allocator, market: market, settings: settings, returnRows: rows)
        for row in rows { try run.advance(toReturnRow: row) }
        return run.result()
    }

    /// The return rows to simulate: the settings' range, or from the allocator's first
    /// decision to the end of the data.
    static func returnRows(_ allocator: any Allocator, _ market: Dataset, _ settings: BacktestSettings) throws(Failure)
        -> ClosedRange<Int>
    {
        let firstDecision = allocator.firstDecisionRow(in: market)
        let first = settings.firstReturnRow ?? (firstDecision + 1)
        let last = settings.lastReturnRow ?? (market.rowCount - 1)
        func date(_ row: Int) -> String { market.dates.indices.contains(row) ? "\(market.dates[row])" : "row \(row)" }
        guard first >= 1, first <= last, last < market.rowCount else {
            let rule =
                if first <= last {
                    "returns run from \(date(1)) to \(date(market.rowCount - 1))"
                } else if settings.firstReturnRow == nil {
                    "\(allocator.name) can first decide on \(date(first - 1)), so the range must end after it"
                } else { "its first date must not be after its last" }
            throw Failure(description: "the return range \(date(first)) .. \(date(last)) does not fit the data: \(rule)")
        }
        guard first - 1 >= firstDecision else {
            throw Failure(description: "\(allocator.name) can first decide at \(date(firstDecision)); start the returns after it")
        }
        return first...last
    }
}
