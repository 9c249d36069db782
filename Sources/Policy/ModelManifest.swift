import Features
import Market
import Options
import Support

/// A model version's `manifest.json` (`regimen.model/v1`, contract section 4).
package struct ModelManifest: Codable, Sendable {
    /// A date range `{from, to}`.
    package struct Range: Codable, Sendable, Equatable {
        package let from: String
        package let to: String
        package init(from: String, to: String) {
            self.from = from
            self.to = to
        }
    }

    /// The network's sizes and the ensemble's member count, to rebuild it before loading weights.
    package struct Network: Codable, Sendable, Equatable {
        package let scorerInputs: Int
        package let cashInputs: Int
        package let hidden: [Int]
        /// Networks in the ensemble; manifests written before ensembles existed hold one.
        package let members: Int
        /// The sleeves a sleeve-mixture policy mixes (absent: none).
        package let sleeves: [PolicySleeve]?
        /// The tilt bound of a sleeve-mixture policy (absent without sleeves).
        package let tilt: Double?
        /// The risk-budget design (absent: a free or sleeve-mixture policy).
        package let budget: BudgetDesign?

        package init(
            scorerInputs: Int, cashInputs: Int, hidden: [Int], members: Int = 1, sleeves: [PolicySleeve]? = nil,
            tilt: Double? = nil, budget: BudgetDesign? = nil
        ) {
            self.scorerInputs = scorerInputs
            self.cashInputs = cashInputs
            self.hidden = hidden
            self.members = members
            self.sleeves = sleeves
            self.tilt = tilt
            self.budget = budget
        }

        package init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            scorerInputs = try c.decode(Int.self, forKey: .scorerInputs)
            cashInputs = try c.decode(Int.self, forKey: .cashInputs)
            hidden = try c.decode([Int].self, forKey: .hidden)
            members = try c.decodeIfPresent(Int.self, forKey: .members) ?? 1
            sleeves = try c.decodeIfPresent([PolicySleeve].self, forKey: .sleeves)
            tilt = try c.decodeIfPresent(Double.self, forKey: .tilt)
            budget = try c.decodeIfPresent(BudgetDesign.self, forKey: .budget)
            if let problem = budget?.problems.first {
                throw DecodingError.dataCorruptedError(forKey: .budget, in: c, debugDescription: problem)
            }
            if budget != nil && sleeves != nil {
                throw DecodingError.dataCorruptedError(
                    forKey: .budget, in: c, debugDescription: "a policy has sleeves or a budget, not both")
            }
            guard members >= 1 else {
                throw DecodingError.dataCorruptedError(
                    forKey: .members, in: c, debugDescription: "members must be at least 1; found \(members)")
            }
            if let sleeves, sleeves.isEmpty || Set(sleeves).count != sleeves.count || !(tilt.map { $0 >= 0 && $0 <= 10 } ?? false)
            {
                throw DecodingError.dataCorruptedError(
                    forKey: .sleeves, in: c, debugDescription: "sleeves must be distinct, with a tilt in [0, 10]")
            }
        }

        /// The number of parameters of the ensemble (every member's scorer MLP, cash layer
        /// and sleeve mixer, weights and biases), or nil when a size is outside its range (members 1 to
        /// 256, 1 to 16 hidden layers, every width 1 to 65536) or the count overflows.
        package var parameterCount: Int? {
            let widths = [scorerInputs] + hidden + [1]
            guard (1...256).contains(members), (1...16).contains(hidden.count),
                (widths + [cashInputs]).allSatisfy({ (1...65_536).contains($0) })
            else { return nil }
            // Widths are at most 2^16, so each layer has under 2^33 parameters and 17 layers
            // times 256 members stay far below Int.max.
            let scorer = zip(widths, widths.dropFirst()).reduce(0) { $0 + $1.0 * $1.1 + $1.1 }
            let mixer = (sleeves?.count ?? 0) * (cashInputs + 1)
            return members * (scorer + cashInputs + 1 + mixer)
        }

        enum CodingKeys: String, CodingKey {
            case hidden, members, sleeves, tilt, budget
            case scorerInputs = "scorer_inputs"
            case cashInputs = "cash_inputs"
        }
    }

    /// What marks a fold model: a version `evaluate --configs` trained for one walk-forward
    /// fold of a recipe (contract section 8), kept apart from the versions trained for
    /// production (`models list` marks it, `models promote` refuses it without
    /// `--allow-fold-model`). Manifests without it (every version `train` publishes, and
    /// every fold model published before the marker) are ordinary versions.
    package struct Fold: Codable, Sendable, Equatable {
        /// The recipe's name (its training config's file name without the extension).
        package let recipe: String
        /// The fold's first and last test dates, `[from, to]`.
        package let test: [String]

        package init(recipe: String, test: [String]) {
            self.recipe = recipe
            self.test = test
        }

        /// `test FROM..TO of RECIPE`, for tables and messages.
        package var label: String { "test \(test.joined(separator: "..")) of \(recipe)" }
    }

    package var schema = "regimen.model/v1"
    package let name: String
    package let version: Int
    package let createdAt: String
    package let codeRevision: String
    package let dataFingerprint: String
    package let train: Range
    package let validation: Range
    package let config: JSONValue
    package let featureSpec: FeatureSpec
    package let network: Network
    package let metrics: [String: Double?]
    /// File name to SHA-256 of every other file of the version.
    package let files: [String: String]
    /// The options overlay the model holds on top of its weights (absent: none).
    package var overlay: OverlaySpec?
    /// Set on a fold model of `evaluate --configs` (absent: an ordinary version).
    package var fold: Fold?

    enum CodingKeys: String, CodingKey {
        case schema, name, version, train, validation, config, network, metrics, files, overlay, fold
        case createdAt = "created_at"
        case codeRevision = "code_revision"
        case dataFingerprint = "data_fingerprint"
        case featureSpec = "feature_spec"
    }

    package init(
        name: String, version: Int, createdAt: String, codeRevision: String, dataFingerprint: String, train: Range,
        validation: Range,
        config: JSONValue, featureSpec: FeatureSpec, network: Network, metrics: [String: Double?], files: [String: String]
    ) {
        self.name = name
        self.version = version
        self.createdAt = createdAt
        self.codeRevision = codeRevision
        self.dataFingerprint = dataFingerprint
        self.train = train
        self.validation = validation
        self.config = config
        self.featureSpec = featureSpec
        self.network = network
        self.metrics = metrics
        self.files = files
    }

    /// The part of the dates `first ... last` that the version saw while it was fitted (its
    /// training range through the end of its validation range), or nil when they do not
    /// meet: evaluating a version there measures what it memorised (contract section 8).
    package func inSampleOverlap(_ first: Timestamp, _ last: Timestamp) -> (from: Timestamp, to: Timestamp)? {
        guard let seenFrom = Timestamp(parsing: train.from), let trainTo = Timestamp(parsing: train.to),
            let validationTo = Timestamp(parsing: validation.to)
        else { return nil }
        let from = max(first.day, seenFrom.day)
        let to = min(last.day, max(trainTo.day, validationTo.day))
        return from <= to ? (from, to) : nil
    }

    /// The refusal of an in-sample evaluation, naming the overlap.
    package func inSampleMessage(_ overlap: (from: Timestamp, to: Timestamp)) -> String {
        "\(name):\(version) was trained \(train.from)..\(train.to) and validated \(validation.from)..\(validation.to); the evaluated dates overlap them on \(overlap.from)..\(overlap.to). Evaluate after \(validation.to), or pass --allow-in-sample (the result is then marked in_sample)"
    }
}
