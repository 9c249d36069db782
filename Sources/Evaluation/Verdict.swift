import Backtest
import Market
import Risk
import Support

/// Does a model earn its place (contract section 10): the answer `regimen evaluate` gives for
/// every model and recipe against the *benchmark*, the baseline with the highest Sharpe over
/// the report's dates (`bcrp`, which chooses with hindsight, never counts), under the same
/// costs, funding and limits.
///
/// - `sharpe_track`: Sharpe at least the benchmark's and, for a recipe with two or more folds,
///   a higher Sharpe than the benchmark's over a fold's test dates in more than half of them.
/// - `risk_track`: Sharpe at least the benchmark's minus 0.10 and a maximum drawdown at most
///   0.8 times the benchmark's.
/// - `p_better`: the share of the significance bootstrap's resamples (same blocks, same seed)
///   in which the allocator's Sharpe exceeds the benchmark's on the same resampled dates.
/// - `fees_doubled`: a track that holds still holds when the allocator and the benchmark are
///   re-simulated at twice the fee (the same decisions; nothing is retrained).
/// - `earns_place` = (`sharpe_track` and `p_better` >= 0.8, or `risk_track`) and `fees_doubled`.
package struct Verdict: Sendable, Encodable, Equatable {
    package let benchmark: String
    package let sharpeTrack: Bool
    package let riskTrack: Bool
    /// For a recipe with two or more folds: the folds whose test dates it won, and how many.
    @NullWhenAbsent package var foldsWon: Int?
    @NullWhenAbsent package var folds: Int?
    package let pBetter: Double
    package let feesDoubled: Bool
    package let earnsPlace: Bool

    enum CodingKeys: String, CodingKey {
        case benchmark, folds
        case sharpeTrack = "sharpe_track", riskTrack = "risk_track", foldsWon = "folds_won", pBetter = "p_better"
        case feesDoubled = "fees_doubled", earnsPlace = "earns_place"
    }

    /// The Sharpe margin the risk track allows, and the drawdown share it asks for.
    static let riskTrackSharpeMargin = 0.10
    static let riskTrackDrawdownShare = 0.8
    /// The `p_better` the Sharpe track needs to earn the place.
    static let requiredProbability = 0.8

    /// The verdict on `candidate` against `benchmark` (named `benchmarkName`).
    /// - Parameters:
    ///   - doubled: both re-simulated at twice the fee.
    ///   - foldDates: a recipe's folds' first and last test dates (nil for a model).
    ///   - seed: the significance bootstrap's seed.
    package init(
        candidate: BacktestResult, benchmark: BacktestResult, benchmarkName: String,
        doubled: (candidate: BacktestResult, benchmark: BacktestResult), foldDates: [(Timestamp, Timestamp)]?, seed: UInt64
    ) {
        self.init(
            candidate: Series(candidate), benchmark: Series(benchmark), benchmarkName: benchmarkName,
            doubled: (Series(doubled.candidate), Series(doubled.benchmark)), foldDates: foldDates, seed: seed)
    }

    /// A path of net returns as the verdict reads it: the dates, the returns, the year.
    package struct Series: Sendable {
        package let dates: [Timestamp]
        package let returns: [Double]
        package let periodsPerYear: Double

        package init(dates: [Timestamp], returns: [Double], periodsPerYear: Double) {
            (self.dates, self.returns, self.periodsPerYear) = (dates, returns, periodsPerYear)
        }

        /// The path of a backtest.
        package init(_ result: BacktestResult) {
            self.init(
                dates: result.periods.map(\.date), returns: result.periods.map(\.netReturn), periodsPerYear: result.periodsPerYear
            )
        }

        var metrics: PerformanceMetrics { PerformanceMetrics(returns: returns, periodsPerYear: periodsPerYear) }
    }

    /// The verdict on two return paths over the same dates (a sweep's stitched paths).
    package init(
        candidate: Series, benchmark: Series, benchmarkName: String, doubled: (candidate: Series, benchmark: Series),
        foldDates: [(Timestamp, Timestamp)]?, seed: UInt64
    ) {
        let atFee = Tracks(candidate, benchmark, foldDates: foldDates)
        let atDoubleFee = Tracks(doubled.candidate, doubled.benchmark, foldDates: foldDates)
        self.benchmark = benchmarkName
        sharpeTrack = atFee.sharpe
        riskTrack = atFee.risk
        foldsWon = atFee.foldsWon
        folds = atFee.folds
        pBetter =
            SharpeDifferenceTest(candidate.returns, benchmark.returns, periodsPerYear: candidate.periodsPerYear, seed: seed)
            .shareAboveZero
        feesDoubled = (atFee.sharpe && atDoubleFee.sharpe) || (atFee.risk && atDoubleFee.risk)
        earnsPlace = ((sharpeTrack && pBetter >= Self.requiredProbability) || riskTrack) && feesDoubled
    }

    /// The index of the benchmark among `results`: the highest Sharpe among the baselines
    /// `isBaseline` marks, `bcrp` left out (the first on a tie); nil without one.
    package static func benchmarkIndex(_ results: [BacktestResult], isBaseline: (Int) -> Bool) -> Int? {
        var best: (index: Int, sharpe: Double)?
        for (index, result) in results.enumerated() where isBaseline(index) && result.strategy != "bcrp" {
            let sharpe = result.metrics.sharpe ?? -.infinity
            if best == nil || sharpe > best!.sharpe { best = (index, sharpe) }
        }
        return best?.index
    }

    /// The verdict in one sentence, for the top of the page.
    package func sentence(for name: String) -> String {
        var held: [String] = []
        if sharpeTrack {
            let folds = foldsWon.map { " and it is ahead in \($0) of \(self.folds ?? 0) folds" } ?? ""
            held.append("its Sharpe is at least \(benchmark)'s\(folds)")
        }
        if riskTrack { held.append("its Sharpe is within 0.10 of \(benchmark)'s with at most 0.8 of its drawdown") }
        let probability = "p_better \(Self.format(pBetter))"
        if earnsPlace {
            return "\(name) earns its place against \(benchmark), the best baseline here: \(held.joined(separator: "; ")); "
                + "\(probability); it holds at twice the fees."
        }
        let why: String
        if held.isEmpty {
            let folds = foldsWon.map { " (ahead in \($0) of \(self.folds ?? 0) folds)" } ?? ""
            why =
                "its Sharpe does not reach \(benchmark)'s\(folds), nor is its drawdown at most 0.8 of it within 0.10 of the Sharpe"
        } else if !feesDoubled {
            why = "\(held.joined(separator: "; ")), but not at twice the fees"
        } else {
            why = "\(held.joined(separator: "; ")), but \(probability) is below 0.8"
        }
        return "\(name) does not earn its place against \(benchmark), the best baseline here: \(why)."
    }

    /// A figure with two decimals (`0.87`).
    package static func format(_ value: Double) -> String { String(Double((value * 100).rounded()) / 100) }
}

/// The two tracks of one pair of backtests at one fee level.
struct Tracks {
    let sharpe: Bool
    let risk: Bool
    let foldsWon: Int?
    let folds: Int?

    init(_ candidate: Verdict.Series, _ benchmark: Verdict.Series, foldDates: [(Timestamp, Timestamp)]?) {
        let (mine, theirs) = (candidate.metrics, benchmark.metrics)
        let sharpe = mine.sharpe ?? -.infinity
        let benchmarkSharpe = theirs.sharpe ?? -.infinity
        var wins: (won: Int, of: Int)?
        if let foldDates, foldDates.count >= 2 {
            let won = foldDates.filter { Self.sharpe(candidate, in: $0) > Self.sharpe(benchmark, in: $0) }.count
            wins = (won, foldDates.count)
        }
        self.sharpe = sharpe >= benchmarkSharpe && wins.map { 2 * $0.won > $0.of } ?? true
        risk =
            sharpe >= benchmarkSharpe - Verdict.riskTrackSharpeMargin
            && mine.maxDrawdown <= Verdict.riskTrackDrawdownShare * theirs.maxDrawdown
        foldsWon = wins?.won
        folds = wins?.of
    }

    /// The Sharpe of `result` over the periods dated `dates.0 ... dates.1` (-infinity when
    /// it has none).
    static func sharpe(_ series: Verdict.Series, in dates: (Timestamp, Timestamp)) -> Double {
        let returns = zip(series.dates, series.returns).filter { $0.0 >= dates.0 && $0.0 <= dates.1 }.map(\.1)
        guard returns.count >= 2 else { return -.infinity }
        return PerformanceMetrics(returns: returns, periodsPerYear: series.periodsPerYear).sharpe ?? -.infinity
    }
}
