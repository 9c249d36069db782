/// The exports `regimen data import` converts (rules: `Tests/MarketTests/Fixtures/import/README.md`).
package enum ImportFormat: String, CaseIterable, Sendable {
    /// Binance spot or futures daily klines from data.binance.vision (12 columns).
    case binanceKlines = "binance-klines"
    /// CoinGecko's historical-data CSV export.
    case coingecko
    /// Yahoo Finance's historical-data download, and yfinance's `download()` and `history()` CSVs.
    case yahoo
    /// CCXT's OHLCV rows (`fetch_ohlcv`): `timestamp,open,high,low,close,volume`, milliseconds.
    case ccxt
    /// Databento daily OHLCV bars of CME futures: writes `futures.csv` only.
    case databentoFutures = "databento-futures"
}
