import Features
import Market
import Policy
import Portfolio
import Regimes

extension DailyInference {
    /// The daily job replayed over many dates of one dataset (`regimen monitor`'s parity):
    /// the model's features, inputs and filtered regimes computed once over the rows, then
    /// each date decided by `DailyInference.decide`, the job's own decision.
    ///
    /// `run` recomputes every feature from the first row at each call, which a single daily
    /// run needs and a year of replays cannot afford (365 full passes). Computing once is
    /// exact, not an approximation: a feature at a row reads no later row (`FeatureBuilder`,
    /// tested on truncated data), the policy's inputs at a row read that row's features, and
    /// the forward filter at a row reads observations up to it (`FilteredRegime.atRows`). The
    /// monitor's parity test compares the replay with files the job wrote, bit for bit.
    package struct Replay {
        let model: PolicyAllocator
        let dataset: Dataset
        let inputs: PolicyInputs
        /// The rows it can decide at.
        let rows: ClosedRange<Int>
        /// The regime the job sees at each row (nil without a regime model).
        let regimes: [FilteredRegime?]

        /// Prepares the replay of the decisions at `rows` of `dataset`.
        /// - Throws: `Refusal` (65) when the data cannot give the model's inputs, or when
        ///   `limits` name an asset or a label the model and data do not have.
        package init(model: PolicyAllocator, dataset: Dataset, rows: ClosedRange<Int>, limits: RiskLimits) throws(Refusal) {
            try checkLimitNames(limits, model: model, dataset: dataset)
            let features = FeatureBuilder.compute(dataset, spec: model.spec, rows: rows)
            do { inputs = try model.inputs(dataset, features: features, onlyRows: rows) } catch {
                throw Refusal(description: error.description, exitStatus: error.exitStatus)
            }
            if let hmm = model.regimeModel, let observations = try? RegimeObservations(dataset: dataset, table: features) {
                regimes = FilteredRegime.atRows(hmm, observations: observations, rows: dataset.rowCount)
            } else {
                regimes = Array(repeating: nil, count: dataset.rowCount)
            }
            self.model = model
            self.dataset = dataset
            self.rows = rows
        }

        /// The job's outcome for `request`, as `DailyInference.run` would give it.
        /// - Precondition: the request's decision row is one of the prepared rows.
        package func run(_ request: Request) throws(Refusal) -> Outcome {
            let row = try decisionRow(dataset, request)
            precondition(rows.contains(row), "DailyInference.Replay.run: row \(row) was not prepared (\(rows))")
            return try decide(model: model, dataset: dataset, row: row, inputs: inputs, regime: regimes[row], request: request)
        }
    }
}
