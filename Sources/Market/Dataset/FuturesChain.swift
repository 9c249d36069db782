/// How a dated futures contract settles (contract section 1, `futures.csv`'s `settlement`).
package enum FuturesSettlement: String, Sendable, CaseIterable {
    /// Quoted and settled in USD per unit of the asset (CME's Micro Bitcoin and Micro Ether).
    case linear
    /// USD notional settled in coin (Deribit's and BitMEX's inverse futures): per unit of USD
    /// notional the position earns `1/F_before - 1/F_after` coins.
    case inverse
}

/// One dated futures contract: its fixed expiry and settlement, and its closes as they became
/// known along the rows of `prices.csv`.
///
/// Closes are joined *as of*: a close dated `d` is the contract's price at every row dated on
/// or after `d` until the next close (stale, never interpolated), so `close(atRow:)` at a row
/// never sees a later row's close.
package struct FuturesContract: Sendable, Equatable {
    /// The exchange's symbol (`MBTZ2`).
    package let name: String
    /// The expiry date; the contract has no close after it.
    package let expiry: Timestamp
    /// Linear (USD) or inverse (coin-settled).
    package let settlement: FuturesSettlement
    /// The rows of `prices.csv` at which each close became known, strictly increasing.
    package let rows: ArraySlice<Int>
    /// The closes, aligned with `rows`.
    package let closes: ArraySlice<Double>

    /// The last close known at `row`, or nil before the contract's first close.
    package func close(atRow row: Int) -> Double? {
        let count = rows.partitioningIndex { $0 > row }
        return count == rows.startIndex ? nil : closes[count - 1]
    }

    /// Whether a close became known at `row` itself (else its price there is stale or absent).
    package func isFresh(atRow row: Int) -> Bool {
        let index = rows.partitioningIndex { $0 >= row }
        return index < rows.endIndex && rows[index] == row
    }

    /// What one unit held from the close of `row - 1` to the close of `row` earns (contract
    /// section 7): linear `F_row / F_{row-1} - 1`, inverse `(1 / F_{row-1} - 1 / F_row) S_row`
    /// with `spot` the underlying's close at `row`.
    /// - Precondition: the contract has a close at `row - 1`.
    package func periodReturn(intoRow row: Int, spot: Double) -> Double {
        let (before, after) = (close(atRow: row - 1)!, close(atRow: row)!)
        return switch settlement {
        case .linear: after / before - 1
        case .inverse: (1 / before - 1 / after) * spot
        }
    }

    /// The first row with a close, or nil when the contract never has one.
    package var firstRow: Int? { rows.first }

    /// The contract as known at the close of `row`: closes that became known later removed.
    func truncated(throughRow row: Int) -> FuturesContract {
        let count = rows.partitioningIndex { $0 > row }
        return FuturesContract(
            name: name, expiry: expiry, settlement: settlement, rows: rows[..<count], closes: closes[..<count])
    }
}

/// The dated futures on one underlying, and the contract held on each row when the asset is
/// of kind `future` (contract section 7).
///
/// The held contract at a decision at row t is the one with the nearest expiry such that
/// `expiry - date_t > rollDays` calendar days, among the contracts with a close known at t
/// (ties in expiry broken by name). A roll happens at t when the held contract differs from
/// the one held at t - 1.
package struct FuturesChain: Sendable, Equatable {
    /// The underlying: a column of `prices.csv`.
    package let asset: String
    /// The contracts, sorted by expiry then name.
    package let contracts: [FuturesContract]
    /// The roll rule's calendar days before expiry.
    package let rollDays: Int
    /// Per row: the index in `contracts` of the contract held at a decision at that row, or
    /// -1 when no contract qualifies.
    package let held: ArraySlice<Int>

    /// Builds the chain, choosing the held contract of every row.
    /// - Parameters:
    ///   - contracts: the asset's contracts in any order.
    ///   - dates: the dates of `prices.csv`.
    init(asset: String, contracts: [FuturesContract], rollDays: Int, dates: ArraySlice<Timestamp>) {
        let sorted = contracts.sorted { ($0.expiry, $0.name) < ($1.expiry, $1.name) }
        self.asset = asset
        self.contracts = sorted
        self.rollDays = rollDays
        self.held = Self.heldContracts(sorted, rollDays: rollDays, dates: dates)[...]
    }

    private init(asset: String, contracts: [FuturesContract], rollDays: Int, held: ArraySlice<Int>) {
        self.asset = asset
        self.contracts = contracts
        self.rollDays = rollDays
        self.held = held
    }

    /// The contract held at a decision at `row`, or nil when none qualifies.
    package func heldContract(atRow row: Int) -> FuturesContract? {
        held[row] < 0 ? nil : contracts[held[row]]
    }

    /// Whether a decision at `row` rolls: a contract was held at `row - 1` and another is
    /// held at `row`.
    package func rolls(atRow row: Int) -> Bool {
        row >= 1 && held[row - 1] >= 0 && held[row] >= 0 && held[row - 1] != held[row]
    }

    /// Calendar days from `date` to the contract's expiry.
    package static func daysToExpiry(_ contract: FuturesContract, from date: Timestamp) -> Double {
        Double(contract.expiry.secondsSinceEpoch - date.secondsSinceEpoch) / 86_400
    }

    /// The chain as known at the close of `row`.
    func truncated(throughRow row: Int) -> FuturesChain {
        FuturesChain(
            asset: asset, contracts: contracts.map { $0.truncated(throughRow: row) }, rollDays: rollDays, held: held[...row])
    }

    /// The held contract of every row, in O((T + C) log C) time whatever the file holds.
    ///
    /// Contract k (in expiry order) qualifies on the rows from its first close up to the
    /// last row dated more than `rollDays` days before its expiry; the held contract of a row
    /// is the qualifying one with the smallest k. Taking contracts in order of k and giving
    /// each the rows of its interval that no earlier contract took (a "next free row" forest
    /// skips taken rows) assigns every row once.
    private static func heldContracts(_ contracts: [FuturesContract], rollDays: Int, dates: ArraySlice<Timestamp>) -> [Int] {
        let count = dates.count
        var held = [Int](repeating: -1, count: count)
        var nextFree = Array(0...count)
        func free(_ row: Int) -> Int {
            var root = row
            while nextFree[root] != root { root = nextFree[root] }
            var node = row
            while nextFree[node] != root { (nextFree[node], node) = (root, nextFree[node]) }
            return root
        }
        let margin = Int64(rollDays) * 86_400
        for (index, contract) in contracts.enumerated() {
            guard let first = contract.firstRow else { continue }
            let end = dates.partitioningIndex { contract.expiry.secondsSinceEpoch - $0.secondsSinceEpoch <= margin }
            var row = free(first)
            while row < end {
                held[row] = index
                nextFree[row] = row + 1
                row = free(row + 1)
            }
        }
        return held
    }
}

extension FuturesChain {
    /// Why the rolled contract cannot stand for the asset on some row.
    package enum HoldingProblem: Error, Equatable {
        /// After the asset's first held row, no contract qualifies at `row`.
        case noContract(row: Int)
        /// The rolled value leaves `range` at `row` (returns would overflow).
        case outOfRange(row: Int)
    }

    /// The value of one unit held through the rolled front contract, per row: `nan` before
    /// the first row with a held contract and a spot price, the held contract's close there,
    /// then compounded by the held contract's return of each period (contract section 7): a
    /// linear contract held at t - 1 earns `F_t / F_{t-1} - 1`, an inverse one
    /// `(1 / F_{t-1} - 1 / F_t) S_t`. The ratio of two consecutive values is the period's
    /// return, so every consumer of prices (simulator, training, risk, features, the daily
    /// job's drift) sees the future's returns through the one accessor it already uses.
    /// - Parameters:
    ///   - spot: the underlying's close at a row, nil before it lists.
    ///   - range: the values allowed.
    /// - Throws: `HoldingProblem` for a row after listing without a contract, or a value
    ///   outside `range`.
    package func heldValues(spot: (Int) -> Double?, range: ClosedRange<Double>) throws(HoldingProblem) -> [Double] {
        var values = [Double](repeating: .nan, count: held.count)
        guard let first = held.indices.first(where: { held[$0] >= 0 && spot($0) != nil }) else { return values }
        values[first] = contracts[held[first]].close(atRow: first)!
        for row in (first + 1)..<held.count {
            guard held[row] >= 0, let now = spot(row) else { throw .noContract(row: row) }
            values[row] = values[row - 1] * (1 + contracts[held[row - 1]].periodReturn(intoRow: row, spot: now))
            guard range.contains(values[row]) else { throw .outOfRange(row: row) }
        }
        return values
    }
}
