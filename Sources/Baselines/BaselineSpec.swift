import Risk
import Support

/// A baseline as the contract names it (section 2): a rule and, for the covariance-based
/// rules (`inverse-vol`, `min-variance`, `max-sharpe`, `risk-parity`, `hrp`), the covariance
/// estimator after a colon: `NAME` (= `NAME:sample`), `NAME:ewma`, `NAME:ledoit-wolf`.
///
/// Every place that turns a name into a baseline (the commands, evaluation plans, sweep
/// specs, the bench) parses it here, so `NAME:sample` always becomes `NAME` and a suffix on
/// any other rule is always refused with the same message.
package struct BaselineSpec: Hashable, Sendable, CustomStringConvertible {
    /// The rule.
    package let rule: BaselineName
    /// The covariance estimator of the window (`sample` for the rules that use none).
    package let estimator: CovarianceEstimator

    /// The rule with an estimator.
    /// - Precondition: `estimator` is `sample` unless the rule takes one (`rule.takesEstimator`).
    package init(_ rule: BaselineName, estimator: CovarianceEstimator = .sample) {
        precondition(
            estimator == .sample || rule.takesEstimator, "BaselineSpec: \(rule.rawValue) takes no covariance estimator")
        self.rule = rule
        self.estimator = estimator
    }

    /// The allocator's name in every file: the rule's CLI spelling, then `:estimator` unless
    /// the estimator is `sample` (the default).
    package var name: String { estimator == .sample ? rule.rawValue : "\(rule.rawValue):\(estimator.rawValue)" }

    package var description: String { name }

    /// The 14 plain baselines (what `all` means).
    package static let plain: [BaselineSpec] = BaselineName.allCases.map { BaselineSpec($0) }

    /// Every accepted spelling, for messages and shell completion: each rule, then for the
    /// covariance-based rules `NAME:sample`, `NAME:ewma`, `NAME:ledoit-wolf`.
    package static var validForms: [String] {
        BaselineName.allCases.map(\.rawValue)
            + BaselineName.allCases.filter(\.takesEstimator).flatMap { rule in
                CovarianceEstimator.allCases.map { "\(rule.rawValue):\($0.rawValue)" }
            }
    }

    /// A baseline name that cannot be parsed (64).
    package struct Invalid: ReportableError, Equatable {
        package let description: String
        /// Whether the text starts with a baseline's name (`min-variance:foo`,
        /// `equal-weight:ewma`): callers that also accept model references `NAME:VERSION` refuse
        /// it with this message only when it is not one.
        package let namesBaseline: Bool
        package var exitStatus: Int32 { ExitStatus.usage }
    }

    /// The estimator suffixes, as a phrase for messages.
    static let suffixes = CovarianceEstimator.allCases.map { "NAME:\($0.rawValue)" }.joined(separator: ", ")

    /// The covariance-based rules, as a phrase for messages (`inverse-vol, min-variance, ...`).
    package static let covarianceRules = BaselineName.allCases.filter(\.takesEstimator).map(\.rawValue).joined(separator: ", ")

    /// The refusal of a name that starts with no baseline's name; `also` lists other words
    /// the caller accepts (`all, none, `).
    static func unknown(_ text: String, also: String = "") -> Invalid {
        Invalid(
            description:
                "unknown baseline '\(text)'; valid: \(also)\(BaselineName.allCases.map(\.rawValue).joined(separator: ", ")), and \(covarianceRules) also as \(suffixes)",
            namesBaseline: false)
    }

    /// Parses `NAME` or `NAME:ESTIMATOR`.
    /// - Throws: `Invalid` for an unknown name, an unknown estimator, or an estimator on a
    ///   rule that takes none; the message lists the valid forms.
    package init(parsing text: String) throws(Invalid) {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard let rule = BaselineName(rawValue: parts[0]) else { throw Self.unknown(text) }
        guard parts.count == 2 else {
            self.init(rule)
            return
        }
        guard rule.takesEstimator else {
            throw Invalid(
                description:
                    "\(rule.rawValue) takes no estimator suffix (found '\(text)'); only \(Self.covarianceRules) do, as \(Self.suffixes)",
                namesBaseline: true)
        }
        guard let estimator = CovarianceEstimator(rawValue: parts[1]) else {
            let valid = [rule.rawValue] + CovarianceEstimator.allCases.map { "\(rule.rawValue):\($0.rawValue)" }
            throw Invalid(
                description: "unknown estimator '\(parts[1])' in '\(text)'; valid: \(valid.joined(separator: ", "))",
                namesBaseline: true)
        }
        self.init(rule, estimator: estimator)
    }

    /// Parses `all` (the 14 plain baselines), `none`, or baselines separated by commas, where
    /// `all` may stand among others for the 14 plain ones (`all,min-variance:ewma`).
    /// - Throws: `Invalid` as `list(_:)` does (`all,min-variance` names min-variance twice).
    package static func list(parsing text: String) throws(Invalid) -> [BaselineSpec] {
        if text == "none" { return [] }
        let names = text.split(separator: ",").flatMap { $0 == "all" ? plain.map(\.name) : [String($0)] }
        return try list(names, also: "all, none, ")
    }

    /// Parses each name of a list.
    /// - Parameter also: other words the caller accepts, for the message on an unknown name.
    /// - Throws: `Invalid` for a name `init(parsing:)` refuses, or for two names of the same
    ///   baseline (`min-variance,min-variance:sample`): a report names each allocator once.
    package static func list(_ names: [String], also: String = "") throws(Invalid) -> [BaselineSpec] {
        var specs: [BaselineSpec] = []
        var spellings: [BaselineSpec: String] = [:]
        for name in names {
            let spec: BaselineSpec
            do { spec = try BaselineSpec(parsing: name) } catch { throw error.namesBaseline ? error : unknown(name, also: also) }
            if let earlier = spellings[spec] {
                throw Invalid(
                    description: "'\(earlier)' and '\(name)' are the same baseline (\(spec.name)); name it once",
                    namesBaseline: true)
            }
            spellings[spec] = name
            specs.append(spec)
        }
        return specs
    }
}
