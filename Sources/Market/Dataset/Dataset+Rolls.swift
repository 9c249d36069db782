extension Dataset {
    /// Whether a decision at `row` rolls each asset (sells what it held and buys something
    /// else): an asset held through futures whose held contract at `row` differs from the one
    /// held at `row - 1` (contract section 7), or an auto-chosen asset whose instrument
    /// changes at `row`.
    package func rolls(atRow row: Int) -> [Bool] {
        assets.map { name in
            if let chosen = instruments[name] {
                guard row >= 1, let now = chosen[row], let before = chosen[row - 1] else { return false }
                return now != before || (now == .future && futuresChain(of: name)!.rolls(atRow: row))
            }
            return kind(of: name) == .future && futuresChain(of: name)!.rolls(atRow: row)
        }
    }

    /// Per asset, the weight a decision at `row` trades moving the risky weights from `pre` to
    /// `new` (contract Appendix A): `|new_i - pre_i|`, and both legs `|pre_i| + |new_i|` for
    /// an asset that rolls at `row` (what it held is sold and the new contract or instrument
    /// bought).
    package func tradedWeights(from pre: [Double], to new: [Double], atRow row: Int) -> [Double] {
        var traded: [Double] = []
        tradedWeights(from: pre, to: new, atRow: row, into: &traded)
        return traded
    }

    /// `tradedWeights` written into `traded` (its storage reused: the simulator's buffer).
    package func tradedWeights(from pre: [Double], to new: [Double], atRow row: Int, into traded: inout [Double]) {
        let rolling = futures.isEmpty && instruments.isEmpty ? nil : rolls(atRow: row)
        traded.removeAll(keepingCapacity: true)
        for asset in pre.indices {
            traded.append(
                rolling?[asset] == true ? Swift.abs(pre[asset]) + Swift.abs(new[asset]) : Swift.abs(new[asset] - pre[asset]))
        }
    }

    /// The traded weight `tau` of a decision at `row`: `tradedWeights` summed in asset order.
    package func tradedWeight(from pre: [Double], to new: [Double], atRow row: Int) -> Double {
        tradedWeights(from: pre, to: new, atRow: row).reduce(0, +)
    }

    /// Per asset, the calendar days to expiry of the futures contract it is held through
    /// from a decision at `row` (nil for an asset not held through futures then).
    package func daysToExpiry(atRow row: Int) -> [Double?] {
        assets.indices.map { asset in
            guard instrument(of: asset, atRow: row) == .future,
                let contract = futuresChain(of: assets[asset])?.heldContract(atRow: row)
            else { return nil }
            return FuturesChain.daysToExpiry(contract, from: dates[row])
        }
    }
}
