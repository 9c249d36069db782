import Backtest
import Foundation
import Market
import Support
import Training

/// One run of a sweep: a grid point, a seed and a fold.
package struct SweepRun: Sendable {
    /// A hash of the resolved config, seed, fold and data fingerprint, and the spec's `aum`
    /// and `fee_bps` when it has them (16 hex digits): a resumed sweep reruns what they change.
    package let id: String
    /// The grid point's values by key.
    package let params: [String: JSONValue]
    package let seed: UInt64
    /// 1-based fold number.
    package let fold: Int
    package let config: TrainingConfig
    package let rows: WalkForward.Fold
}

/// The runs of a spec on its dataset, in a fixed order (grid point, seed, fold).
package struct SweepPlan: Sendable {
    package let spec: SweepSpec
    package let dataset: Dataset
    package let runs: [SweepRun]
    /// The first and last return rows of the whole range.
    package let range: ClosedRange<Int>

    package init(spec: SweepSpec) throws {
        self.spec = spec
        dataset = try DatasetReader.load(directory: spec.data)
        guard let from = Timestamp(parsing: spec.from).flatMap(dataset.row(at:)),
            let to = Timestamp(parsing: spec.to).flatMap(dataset.row(at:)), from < to
        else {
            throw SweepFailure(
                description: "from \(spec.from) and to \(spec.to) must be dates of \(spec.data)/prices.csv, from first")
        }
        range = from...to
        let folds: [WalkForward.Fold]
        do {
            folds = try WalkForwardSpec(parsing: spec.walkForward, option: "walk_forward")
                .folds(dates: dataset.dates, returnRows: range)
        } catch { throw SweepFailure(description: "\(error.description)") }
        guard !folds.isEmpty else {
            throw SweepFailure(description: "walk_forward \(spec.walkForward) leaves no fold in the range")
        }
        let fingerprint = ModelPublisher.dataFingerprint(spec.data)
        var runs: [SweepRun] = []
        for point in spec.points {
            for seed in spec.seeds {
                let config = try spec.config(at: point, seed: seed)
                for (index, fold) in folds.enumerated() {
                    var identity: [String: JSONValue] = [
                        "config": try JSONDecoder().decode(JSONValue.self, from: CanonicalJSON.encode(config)),
                        "seed": .number(Double(seed)),
                        "train": .array([.number(Double(fold.train.lowerBound)), .number(Double(fold.train.upperBound))]),
                        "test": .array([.number(Double(fold.test.lowerBound)), .number(Double(fold.test.upperBound))]),
                        "data": .string(fingerprint),
                    ]
                    // Only when given, so the ids of a spec without them stay as they were.
                    if let aum = spec.aum { identity["aum"] = .number(aum) }
                    if let fee = spec.feeBps { identity["fee_bps"] = .number(fee) }
                    let id = String(
                        SHA256.hex(SHA256.digest(Array(try CanonicalJSON.encode(JSONValue.object(identity))))).prefix(16))
                    runs.append(
                        SweepRun(
                            id: id, params: Dictionary(uniqueKeysWithValues: point.map { ($0.key, $0.value) }), seed: seed,
                            fold: index + 1, config: config, rows: fold))
                }
            }
        }
        self.runs = runs
    }
}
