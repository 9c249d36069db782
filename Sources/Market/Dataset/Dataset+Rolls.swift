extension Dataset {
    /// Whether a decision at `row` rolls each asset: true for an asset of kind `future` whose
    /// held contract at `row` differs from the one held at `row - 1` (contract section 7).
    package func rolls(atRow row: Int) -> [Bool] {
        assets.map { name in kind(of: name) == .future && futuresChain(of: name)!.rolls(atRow: row) }
    }

    /// The traded weight `tau` of a decision at `row` that moves the risky weights from `pre`
    /// to `new` (contract Appendix A): `|new_i - pre_i|` per asset, and both legs
    /// `|pre_i| + |new_i|` for an asset that rolls at `row` (its old contract is sold and the
    /// new one bought).
    package func tradedWeight(from pre: [Double], to new: [Double], atRow row: Int) -> Double {
        let rolling = futures.isEmpty ? nil : rolls(atRow: row)
        var tau = 0.0
        for asset in pre.indices {
            tau += rolling?[asset] == true ? Swift.abs(pre[asset]) + Swift.abs(new[asset]) : Swift.abs(new[asset] - pre[asset])
        }
        return tau
    }
}
