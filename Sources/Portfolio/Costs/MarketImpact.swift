import Market
import Support

/// Market impact by the square-root law (contract section 11): asset i traded by `d_i` (a
/// fraction of NAV) at the close of row t costs `k * sigma_i * d_i * sqrt(d_i * AUM *
/// W_{t-1} / ADV_i)` of NAV, each leg of a roll on its own.
///
/// `sigma_i` is the sample standard deviation (n - 1) of the asset's simple returns over the
/// `window` rows ending at the decision row, `ADV_i` the mean of its dollar volume over the
/// same rows (`Dataset.dollarVolumes`), `k` the dataset's `impact_coefficient`, `AUM` the
/// starting capital in USD and `W_{t-1}` the wealth before the trade. The law is Almgren et
/// al., "Direct estimation of equity market impact" (Risk, 2005), in the form Kyle and
/// Obizhaeva's and Tóth et al.'s measurements keep finding: the cost of a trade grows with
/// the square root of its share of the day's volume, so doubling the fund more than doubles
/// what it pays.
///
/// The contract is silent on an asset listed inside the window: its rows before listing are
/// left out (returns and volumes from its listing on), and one traded with fewer than two
/// returns (on its first or second day) is charged the largest `sigma` among the assets that
/// have two, at that row (new listings are among the most volatile; none is ever free). A
/// traded asset with a listed row of the window lacking volume is refused (65, naming the
/// asset and the date).
package struct MarketImpact: TradingCostTerm {
    /// Rows of the window `sigma` and `ADV` are measured over.
    package static let window = 20

    /// The capital the book starts with, in USD.
    package let assetsUnderManagement: Double
    /// Per row and asset (`[T, N]` row-major), `k * sigma * sqrt(AUM / ADV)`: the cost of a
    /// leg `d` at wealth `W` is this times `d * sqrt(d * W)`; `nan` where the window lacks volume.
    let scales: [Double]
    /// Per row and asset, the first date of the window without volume (where `scales` is nan).
    let missingVolume: [Int: Timestamp]
    /// The market's assets, in dataset order (the columns of `scales`).
    package let assets: [String]
    let dates: ArraySlice<Timestamp>

    /// The impact of trading on `market` with `assetsUnderManagement` USD at the start.
    package init(_ market: Dataset, assetsUnderManagement: Double) {
        self.assetsUnderManagement = assetsUnderManagement
        assets = market.assets
        dates = market.dates
        let liquidity = Liquidity(market, window: Self.window)
        let k = market.config.impactCoefficient
        scales = zip(liquidity.sigmas, liquidity.dollarVolumes).map { sigma, adv in
            adv > 0 ? k * sigma * (assetsUnderManagement / adv).squareRoot() : .nan
        }
        missingVolume = liquidity.missingVolume
    }

    /// `k * sigma * sqrt(AUM / ADV)` of `asset` at decision row `row`, or nil without volume.
    package func scale(row: Int, asset: Int) -> Double? {
        let value = scales[row * assets.count + asset]
        return value.isNaN ? nil : value
    }

    package func cost(of trade: Trade) throws(TradingCostFailure) -> Double {
        var total = 0.0
        for asset in trade.traded.indices where trade.traded[asset] > 0 { total += try cost(of: trade, asset: asset) }
        return total
    }

    /// The impact `trade` pays on `asset` alone (both legs of a roll), a fraction of NAV.
    package func cost(of trade: Trade, asset: Int) throws(TradingCostFailure) -> Double {
        guard trade.traded[asset] > 0 else { return 0 }
        guard let scale = scale(row: trade.row, asset: asset) else { throw noVolume(asset: asset, row: trade.row) }
        let wealth = Swift.max(trade.wealthBefore, 0)
        let (first, second) = trade.legs(of: asset)
        return scale * (first * (first * wealth).squareRoot() + second * (second * wealth).squareRoot())
    }

    /// The refusal of trading `asset` at `row` without volume over the window: a row lacking
    /// it, or a volume of 0 on every row (no trade can be priced in a market that does not trade).
    package func noVolume(asset: Int, row: Int) -> TradingCostFailure {
        guard let missing = missingVolume[row * assets.count + asset] else {
            return TradingCostFailure(
                description:
                    "ohlcv.csv's volume of \(assets[asset]) is 0 on every row of the \(Self.window) ending \(dates[row]), where it "
                    + "is traded; market impact (--aum) cannot price a trade in a market without volume")
        }
        return TradingCostFailure(
            description:
                "ohlcv.csv has no volume for \(assets[asset]) on \(missing), in the \(Self.window) rows ending \(dates[row]) "
                + "where it is traded; market impact (--aum) needs its volume on every listed row of the window")
    }
}

/// Why a trade cannot be charged: the data lack what a cost term needs (65).
package struct TradingCostFailure: ReportableError {
    package let description: String
    package var exitStatus: Int32 { ExitStatus.badData }
}

extension MarketImpact {
    /// The starting capital `--aum` and a sweep spec's `aum` may give, in USD: from 0 (impact
    /// exactly 0, through the same code, so the volume data are still required) to 1e15.
    package static let capitalRange = 0.0...1e15

    /// The refusal of a capital outside `capitalRange` (or not a number), naming `name` (the
    /// option or key) and quoting what was `found`.
    package static func capitalRefusal(_ name: String, found: String) -> String {
        "\(name) must be a finite number of USD from 0 to 1e15; found \(found)"
    }
}
