import Artifacts
import Foundation
import Inference
import Market
import ModelStore
import Policy
import Portfolio
import Support

/// `parity`: for each history file, the decision the daily job makes now, on today's data,
/// for the same version and the same previous file, against what it wrote then.
///
/// The replay is the daily job's own code (`DailyInference.Replay`: the job's decision, with
/// the features computed once for all dates), with the history's previous file as
/// `--previous` (the first file is replayed without one) and the job's limits when given, so
/// every difference is a difference of the data: 0 exactly when nothing before a date
/// changed after the fact. A backtest of the version would reach the
/// same decision through the same `DecisionStep`, but with its own simulated book as the
/// holding; replaying each day from the file the job really held isolates each date, so
/// the first date that differs is the first date whose inputs were restated.
package enum Parity {
    /// One date's comparison.
    package struct Day: Encodable, Sendable, Equatable {
        package let date: String
        /// `NAME:VERSION` that wrote the file (and decides again).
        package let version: String
        /// `max_i |written_i - replayed_i|` over the assets and the cash line; nil when the
        /// job refuses that date now.
        @NullWhenAbsent package var maxAbsDifference: Double?
        /// The risky asset with the largest difference (the first in name order on ties; nil
        /// when every asset agrees exactly). The cash line is left out: it is the remainder,
        /// so it moves with any asset and never says which one was restated.
        @NullWhenAbsent package var asset: String?
        /// That asset's `|written - replayed|`.
        @NullWhenAbsent package var assetDifference: Double?
        /// Every line (assets and cash) whose weight differs, with its `|written - replayed|`.
        package var differences: [String: Double] = [:]
        /// The job's refusal now, when it refuses.
        @NullWhenAbsent package var refusal: String?

        enum CodingKeys: String, CodingKey {
            case date, version, asset, refusal, differences
            case maxAbsDifference = "max_abs_difference"
            case assetDifference = "asset_difference"
        }
    }

    /// Replays every history file.
    /// - Parameters:
    ///   - rows: the history files' dataset rows.
    ///   - load: the allocator of a version.
    /// - Throws: the registry's failure for a version that no longer loads (66).
    package static func days(
        _ history: WeightsHistory, market: Dataset, rows: [Int], limits: RiskLimits,
        load: (ModelRegistry.Reference) throws -> PolicyAllocator
    ) throws -> [Day] {
        var replays: [String: DailyInference.Replay] = [:]
        var refusals: [String: String] = [:]
        var days: [Day] = []
        for (index, entry) in history.entries.enumerated() {
            let source = entry.file.source
            guard let reference = ModelRegistry.Reference(parsing: "\(source.name):\(source.version ?? "")") else {
                throw WeightsHistory.Failure(
                    description: "\(entry.path): source \(source.name):\(source.version ?? "") is not a model version",
                    exitStatus: ExitStatus.badData)
            }
            let version = reference.description
            if replays[version] == nil && refusals[version] == nil {
                let model = try load(reference)
                do {
                    replays[version] = try DailyInference.Replay(
                        model: model, dataset: market, rows: rows.first!...rows.last!, limits: limits)
                } catch { refusals[version] = error.description }
            }
            var request = DailyInference.Request(asOf: entry.date)
            request.limits = limits
            request.previous = index > 0 ? history.entries[index - 1].file : nil
            days.append(
                day(
                    entry.file, version: version, replay: replays[version], refusal: refusals[version], request: request,
                    cash: market.config.cash))
        }
        return days
    }

    /// One date's comparison: the replay's weights against the written ones, or the refusal;
    /// `cash` is the cash line's name.
    static func day(
        _ written: WeightsFile, version: String, replay: DailyInference.Replay?, refusal: String?,
        request: DailyInference.Request, cash: String
    ) -> Day {
        let refused = { (why: String) in
            Day(
                date: written.asOf, version: version, maxAbsDifference: nil, asset: nil, assetDifference: nil, refusal: why)
        }
        guard let replay else { return refused(refusal ?? "") }
        let now: DailyInference.Outcome
        do { now = try replay.run(request) } catch { return refused(error.description) }
        let all = largestDifference(written.weights, now.file.weights, except: nil)
        let risky = largestDifference(written.weights, now.file.weights, except: cash)
        var day = Day(
            date: written.asOf, version: version, maxAbsDifference: all.difference, asset: risky.line,
            assetDifference: risky.line == nil ? nil : risky.difference, refusal: nil)
        day.differences = differences(written.weights, now.file.weights)
        return day
    }

    /// Each line whose weight differs between two weight maps (a missing line counts as 0),
    /// with the absolute difference.
    static func differences(_ written: [String: Double], _ replayed: [String: Double]) -> [String: Double] {
        Set(written.keys).union(replayed.keys).reduce(into: [:]) { result, name in
            let difference = Swift.abs((written[name] ?? 0) - (replayed[name] ?? 0))
            if difference != 0 { result[name] = difference }
        }
    }

    /// The largest absolute difference between two weight maps (a missing line counts as 0),
    /// leaving out the line `except`, and the line where it occurs (nil when every line agrees
    /// exactly).
    static func largestDifference(_ written: [String: Double], _ replayed: [String: Double], except: String?) -> (
        difference: Double, line: String?
    ) {
        var largest = 0.0
        var line: String?
        for name in Set(written.keys).union(replayed.keys).sorted() where name != except {
            let difference = Swift.abs((written[name] ?? 0) - (replayed[name] ?? 0))
            if difference > largest { (largest, line) = (difference, name) }
        }
        return (largest, line)
    }
}
