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
            calendar day, T in years of 365 days. Bad rows are refused (exit 65) with their line, column and rule.
            """)

    @Option(help: "The chain CSV.") var chain: String
    @Option(help: "The continuously compounded discount rate r.") var rate: Double = 0
    @Option(help: "The valuation time, RFC 3339 UTC or a date at 00:00 UTC (default: now).") var at: String?
    @Flag(help: "Read prices (price_coin or price) and solve for the implied volatility.") var implied = false
    @Option(help: "The CSV to write.") var out: String

    func validate() throws {
        guard rate.isFinite, Swift.abs(rate) <= 1 else {
            throw ValidationError("--rate must be a number from -1 to 1; found \(rate)")
        }
        if let at, Timestamp(parsing: at) == nil {
            throw ValidationError("--at must be YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (UTC); found '\(at)'")
        }
    }

    func run() throws {
        try withExitStatus {
            let valuation =
                at.flatMap { Timestamp(parsing: $0) }
                ?? Timestamp(secondsSinceEpoch: Int64(Date().timeIntervalSince1970), isDateOnly: false)
            let text = try InputFile.text(chain, limit: InputFile.dataLimit)
            let priced = try OptionChain(text: text, file: chain, valuation: valuation, rate: rate, implied: implied)
            try AtomicFile.write(Data(priced.csv.utf8), to: URL(fileURLWithPath: out))
            printNote("wrote \(out): \(priced.rows.count) options valued at \(valuation), r = \(rate)")
        }
    }
}
