import Baselines
import Risk
import Testing

/// The one parser of baseline names (contract section 2): `NAME`, and for the covariance
/// baselines `NAME:sample` (= `NAME`), `NAME:ewma`, `NAME:ledoit-wolf`; anything else refused
/// with a message that lists the valid forms.
@Suite("Baseline names with an estimator suffix")
struct BaselineSpecTests {
    /// Accepted spellings: the text, the rule, the estimator, the allocator's name.
    static let accepted: [(String, BaselineName, CovarianceEstimator, String)] = [
        ("min-variance", .minimumVariance, .sample, "min-variance"),
        ("min-variance:sample", .minimumVariance, .sample, "min-variance"),
        ("min-variance:ewma", .minimumVariance, .ewma, "min-variance:ewma"),
        ("min-variance:ledoit-wolf", .minimumVariance, .ledoitWolf, "min-variance:ledoit-wolf"),
        ("hrp:ledoit-wolf", .hierarchicalRiskParity, .ledoitWolf, "hrp:ledoit-wolf"),
        ("inverse-vol:ewma", .inverseVolatility, .ewma, "inverse-vol:ewma"),
        ("max-sharpe:sample", .maximumSharpe, .sample, "max-sharpe"),
        ("risk-parity:ewma", .riskParity, .ewma, "risk-parity:ewma"),
        ("equal-weight", .equalWeight, .sample, "equal-weight"),
        ("anticor", .anticor, .sample, "anticor"),
    ]

    @Test("accepted spellings and their names", arguments: accepted)
    func accepts(_ text: String, rule: BaselineName, estimator: CovarianceEstimator, name: String) throws {
        let spec = try BaselineSpec(parsing: text)
        #expect(spec == BaselineSpec(rule, estimator: estimator))
        #expect(spec.name == name)
        #expect(Baseline(spec).name == name)
    }

    @Test("NAME:sample is NAME")
    func sampleIsPlain() throws {
        #expect(try BaselineSpec(parsing: "min-variance:sample") == BaselineSpec(parsing: "min-variance"))
        #expect(Baseline(try BaselineSpec(parsing: "hrp:sample")).name == Baseline(.hierarchicalRiskParity).name)
    }

    /// Refused spellings: the text, the exact message, whether it starts with a baseline's name.
    static let refused: [(String, String, Bool)] = [
        (
            "equal-weight:ewma",
            "equal-weight takes no estimator suffix (found 'equal-weight:ewma'); only inverse-vol, min-variance, max-sharpe, risk-parity, hrp do, as NAME:sample, NAME:ewma, NAME:ledoit-wolf",
            true
        ),
        (
            "equal-weight:sample",
            "equal-weight takes no estimator suffix (found 'equal-weight:sample'); only inverse-vol, min-variance, max-sharpe, risk-parity, hrp do, as NAME:sample, NAME:ewma, NAME:ledoit-wolf",
            true
        ),
        (
            "bcrp:ledoit-wolf",
            "bcrp takes no estimator suffix (found 'bcrp:ledoit-wolf'); only inverse-vol, min-variance, max-sharpe, risk-parity, hrp do, as NAME:sample, NAME:ewma, NAME:ledoit-wolf",
            true
        ),
        (
            "min-variance:foo",
            "unknown estimator 'foo' in 'min-variance:foo'; valid: min-variance, min-variance:sample, min-variance:ewma, min-variance:ledoit-wolf",
            true
        ),
        (
            "hrp:",
            "unknown estimator '' in 'hrp:'; valid: hrp, hrp:sample, hrp:ewma, hrp:ledoit-wolf", true
        ),
        (
            "hrp:Ledoit-Wolf",
            "unknown estimator 'Ledoit-Wolf' in 'hrp:Ledoit-Wolf'; valid: hrp, hrp:sample, hrp:ewma, hrp:ledoit-wolf", true
        ),
        (
            "min-variance:ewma:ewma",
            "unknown estimator 'ewma:ewma' in 'min-variance:ewma:ewma'; valid: min-variance, min-variance:sample, min-variance:ewma, min-variance:ledoit-wolf",
            true
        ),
        (
            "minvariance",
            "unknown baseline 'minvariance'; valid: equal-weight, inverse-vol, min-variance, max-sharpe, risk-parity, hrp, ubah, ucrp, bcrp, eg, ons, olmar, pamr, anticor, and inverse-vol, min-variance, max-sharpe, risk-parity, hrp also as NAME:sample, NAME:ewma, NAME:ledoit-wolf",
            false
        ),
        (
            "ewma:min-variance",
            "unknown baseline 'ewma:min-variance'; valid: equal-weight, inverse-vol, min-variance, max-sharpe, risk-parity, hrp, ubah, ucrp, bcrp, eg, ons, olmar, pamr, anticor, and inverse-vol, min-variance, max-sharpe, risk-parity, hrp also as NAME:sample, NAME:ewma, NAME:ledoit-wolf",
            false
        ),
    ]

    @Test("refused spellings, with messages that list the valid forms", arguments: refused)
    func refuses(_ text: String, message: String, namesBaseline: Bool) {
        let error = #expect(throws: BaselineSpec.Invalid.self) { try BaselineSpec(parsing: text) }
        #expect(error?.description == message)
        #expect(error?.namesBaseline == namesBaseline)
        #expect(error?.exitStatus == 64)
    }

    @Test("every valid form parses, and every name parses back to its spec")
    func validForms() throws {
        #expect(BaselineSpec.validForms.count == 14 + 5 * 3)
        for form in BaselineSpec.validForms {
            let spec = try BaselineSpec(parsing: form)
            #expect(try BaselineSpec(parsing: spec.name) == spec, "\(form)")
        }
        #expect(
            BaselineName.allCases.filter(\.takesEstimator).map(\.rawValue) == [
                "inverse-vol", "min-variance", "max-sharpe", "risk-parity", "hrp",
            ])
    }

    @Test("lists: all is the 14 plain baselines, none is empty, suffixed names stay in order")
    func lists() throws {
        #expect(try BaselineSpec.list(parsing: "all") == BaselineName.allCases.map { BaselineSpec($0) })
        #expect(try BaselineSpec.list(parsing: "all").allSatisfy { $0.estimator == .sample })
        #expect(try BaselineSpec.list(parsing: "none").isEmpty)
        // `all` among others stands for the plain ones; naming one of them again is refused.
        #expect(
            try BaselineSpec.list(parsing: "all,min-variance:ewma").map(\.name) == BaselineName.allCases.map(\.rawValue) + [
                "min-variance:ewma"
            ])
        #expect(throws: BaselineSpec.Invalid.self) { try BaselineSpec.list(parsing: "all,min-variance") }
        #expect(
            try BaselineSpec.list(parsing: "min-variance,min-variance:ledoit-wolf,hrp:sample").map(\.name) == [
                "min-variance", "min-variance:ledoit-wolf", "hrp",
            ])
    }

    @Test(
        "lists refuse what the parser refuses, and two spellings of one baseline",
        arguments: [
            (
                "min-variance,min-variance:sample",
                "'min-variance' and 'min-variance:sample' are the same baseline (min-variance); name it once"
            ),
            ("hrp:ewma,hrp:ewma", "'hrp:ewma' and 'hrp:ewma' are the same baseline (hrp:ewma); name it once"),
            (
                "hrp,eg:ewma",
                "eg takes no estimator suffix (found 'eg:ewma'); only inverse-vol, min-variance, max-sharpe, risk-parity, hrp do, as NAME:sample, NAME:ewma, NAME:ledoit-wolf"
            ),
            (
                "hrp,foo",
                "unknown baseline 'foo'; valid: all, none, equal-weight, inverse-vol, min-variance, max-sharpe, risk-parity, hrp, ubah, ucrp, bcrp, eg, ons, olmar, pamr, anticor, and inverse-vol, min-variance, max-sharpe, risk-parity, hrp also as NAME:sample, NAME:ewma, NAME:ledoit-wolf"
            ),
        ])
    func listRefusals(_ text: String, message: String) {
        let error = #expect(throws: BaselineSpec.Invalid.self) { try BaselineSpec.list(parsing: text) }
        #expect(error?.description == message)
    }
}
