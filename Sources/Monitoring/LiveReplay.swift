import Backtest
import Market
import Portfolio

/// `live`: the returns of the weights the daily job actually wrote, booked by the one
/// simulator (`Simulator.run`: fees from `dataset.yaml`, funding, drift, futures rolls), so a
/// live figure and a backtest figure mean the same thing.
///
/// The weights are replayed through an allocator rather than summed by hand: the simulator
/// owns the accounting, and a second copy of it here could drift from it. No limits run
/// (the written weights already met them) and the options overlay is not replayed (its
/// positions are not re-marked; `live` covers the weights).
package enum LiveReplay {
    /// The replayed backtest file, or nil when the history earns fewer than 2 returns (the
    /// metrics need 2): decisions at the history's rows, returns from the row after the first
    /// decision to the row after the last (or the data's last row).
    /// - Parameter weights: each history row's risky weights, in the dataset's asset order.
    package static func run(_ market: Dataset, rows: [Int], weights: [[Double]], name: String) throws -> BacktestFile? {
        guard let first = rows.first, let last = rows.last else { return nil }
        let lastReturn = min(last + 1, market.rowCount - 1)
        guard lastReturn - first >= 2 else { return nil }
        var settings = BacktestSettings()
        settings.firstReturnRow = first + 1
        settings.lastReturnRow = lastReturn
        settings.feeBasisPoints = market.config.feeBasisPoints ?? 0
        let replay = WrittenWeights(name: name, written: Dictionary(uniqueKeysWithValues: zip(rows, weights)), firstRow: first)
        let result = try Simulator.run(replay, on: market, settings: settings)
        return BacktestFile(result, rebalance: settings.rebalance, feeBasisPoints: settings.feeBasisPoints)
    }
}

/// An allocator that decides what the history says was written at each row; on a row without
/// a file (the job did not run) it keeps the drifted book, as a desk that did not trade does.
struct WrittenWeights: Allocator {
    let name: String
    /// Row to risky weights.
    let written: [Int: [Double]]
    let firstRow: Int

    /// The first history row.
    func firstDecisionRow(in market: Dataset) -> Int { firstRow }

    /// The written weights at the view's row, all cash on a row without a file.
    func allocate(_ view: MarketView) throws -> Allocation {
        Allocation(weights: written[view.row] ?? Array(repeating: 0, count: view.history.assets.count))
    }

    /// A session that holds the book on rows without a file.
    func session(deciding rows: ClosedRange<Int>, through view: MarketView) -> any AllocationSession { Session(written: written) }

    /// The replay's session: the written weights, or the held ones.
    struct Session: AllocationSession {
        let written: [Int: [Double]]
        var decidesEveryPeriod: Bool { false }

        /// The written weights at the view's row, else `holding`.
        mutating func decide(_ view: MarketView, holding: [Double]) throws -> Allocation {
            Allocation(weights: written[view.row] ?? holding)
        }
    }
}
