import ArgumentParser
import CommandSupport
import Foundation
import Market
import Options
import Support

/// `regimen options`: option pricing (contract section 7).
struct OptionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "options", abstract: "Price options (Black-76 on the forward) and their Greeks.",
        subcommands: [OptionsPriceCommand.self])
}

/// `regimen options price --chain FILE [--rate R] [--at TIMESTAMP] [--implied] --out FILE`.
struct OptionsPriceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "price", abstract: "Price a chain of options with their Greeks, or solve for implied volatilities.",
        discussion: """
            The chain is a CSV with columns asset,type,strike,expiry,forward,iv (iv a fraction, e.g. 0.55; expiry \
            RFC 3339 UTC or a date at 00:00 UTC). With --implied, give price_coin (a fraction of the forward, as \
            Deribit quotes) or price (USD) instead of iv. Writes asset,type,strike,expiry,t_years,forward,iv,price, \
            price_coin,delta,gamma,vega,theta in the input's row order: vega per volatility point, theta per \
            calendar day, T in years of 365 days, and a note. Bad rows are refused (exit 65) with their line, \
            column and rule. With --implied, a price no volatility reproduces (at or below intrinsic, at or above \
            the bound: tick rounding of deep in-the-money marks) is written with iv and the Greeks empty and a note \
            saying why and by how much; --strict refuses it instead. Deribit's export (instrument_name or symbol, \
            mark_price in coin, mark_iv in percent, underlying_price as the forward) is read directly: the option \
            from its name (BTC-26JAN24-40000-C expires 2024-01-26 08:00 UTC), valued by default at the export's \
            newest creation_timestamp (or timestamp).
            """)

    @Option(help: "The chain CSV.") var chain: String
    @Option(help: "The continuously compounded discount rate r.") var rate: Double = 0
    @Option(help: "The valuation time, RFC 3339 UTC or a date at 00:00 UTC (default: now).") var at: String?
    @Flag(help: "Read prices (price_coin or price) and solve for the implied volatility.") var implied = false
    @Flag(help: "With --implied, refuse (exit 65) a price no volatility reproduces instead of noting it.") var strict = false
    @Option(help: "The CSV to write.") var out: String

    func validate() throws {
        if strict && !implied { throw ValidationError("--strict applies to --implied only") }
        guard rate.isFinite, Swift.abs(rate) <= 1 else {
            throw ValidationError("--rate must be a number from -1 to 1; found \(rate)")
        }
        if let at, Timestamp(parsing: at) == nil {
            throw ValidationError("--at must be YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (UTC); found '\(at)'")
        }
    }

    func run() throws {
        try withExitStatus {
            let text = try InputFile.text(chain, limit: InputFile.dataLimit)
            let priced = try OptionChain(
                text: text, file: chain, valuation: at.flatMap { Timestamp(parsing: $0) }, rate: rate, implied: implied,
                strict: strict)
            try AtomicFile.write(Data(priced.csv.utf8), to: URL(fileURLWithPath: out))
            let noted = priced.rows.filter { !$0.note.isEmpty }.count
            printNote(
                "wrote \(out): \(priced.rows.count) options\(priced.isDeribit ? " (Deribit export)" : "") valued at \(priced.valuation), r = \(rate)"
                    + (noted > 0 ? "; \(noted) with a note (no volatility reproduces the price)" : ""))
        }
    }
}
