import Foundation
import Market
import Support

/// The spellings of the risk report's stress tests on the command line: `NAME=SPOT:VOL`
/// scenarios, `NAME=FROM..TO` historical ranges and `ASSET=MOVE` shocks.
extension RiskReport.Request {
    /// An option that does not spell what it should (64), naming the option and the form.
    package struct OptionProblem: ReportableError {
        package let description: String
        package var exitStatus: Int32 { ExitStatus.usage }
    }

    /// `NAME=SPOT_MOVE:VOL_POINTS`, the spot move in (-1, 10], the volatility move at most 500
    /// points either way.
    package static func scenario(parsing text: String) throws(OptionProblem) -> (
        name: String, spotMove: Double, volPoints: Double
    ) {
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        let moves = parts.count == 2 ? parts[1].split(separator: ":").map(String.init) : []
        guard parts.count == 2, !parts[0].isEmpty, moves.count == 2,
            let spot = DecimalNumber.parse(moves[0]), spot > -1, spot <= 10,
            let volatility = DecimalNumber.parse(moves[1]), Swift.abs(volatility) <= 500
        else {
            throw OptionProblem(
                description:
                    "--scenario must be NAME=SPOT_MOVE:VOL_POINTS with SPOT_MOVE in (-1, 10] and |VOL_POINTS| <= 500, e.g. crash=-0.5:+60; found '\(text)'"
            )
        }
        return (parts[0], spot, volatility)
    }

    /// `NAME=YYYY-MM-DD..YYYY-MM-DD`, both dates rows of `dataset`, the first before the second.
    package static func stressRange(parsing text: String, in dataset: Dataset) throws(OptionProblem) -> (
        name: String, from: Int, to: Int
    ) {
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        let dates = parts.count == 2 ? parts[1].components(separatedBy: "..") : []
        guard parts.count == 2, dates.count == 2, let from = Timestamp(parsing: dates[0]), let to = Timestamp(parsing: dates[1])
        else {
            throw OptionProblem(description: "--stress-range must be NAME=YYYY-MM-DD..YYYY-MM-DD; found '\(text)'")
        }
        guard let first = dataset.row(at: from), let last = dataset.row(at: to), first < last else {
            throw OptionProblem(
                description: "--stress-range \(text): both dates must be dates of prices.csv, the first before the second")
        }
        return (parts[0], first, last)
    }

    /// `ASSET=MOVE`, the move a finite fraction above -1.
    package static func shock(parsing text: String) throws(OptionProblem) -> (asset: String, move: Double) {
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, let move = Double(parts[1]), move > -1, move.isFinite else {
            throw OptionProblem(
                description: "--shock must be ASSET=MOVE with MOVE a fraction above -1 (e.g. BTC=-0.3); found '\(text)'")
        }
        return (parts[0], move)
    }
}
