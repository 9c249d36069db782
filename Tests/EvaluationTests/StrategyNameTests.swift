import Baselines
import Evaluation
import Testing

/// Names that may be a baseline or a model (`backtest --strategy`, `evaluate --reference`): a
/// baseline goes through `BaselineSpec`; a model `NAME:VERSION` named like a baseline is still a
/// model; a baseline's name with a bad suffix is refused with the parser's message.
@Suite("Strategy and reference names")
struct StrategyNameTests {
    @Test(
        "backtest --strategy: baseline, model, or refused",
        arguments: [
            ("min-variance", "baseline min-variance"),
            ("min-variance:sample", "baseline min-variance"),
            ("min-variance:ledoit-wolf", "baseline min-variance:ledoit-wolf"),
            ("hrp:ewma", "baseline hrp:ewma"),
            ("tiny:2", "model tiny:2"),
            ("tiny@champion", "model tiny@champion"),
            ("hrp:2", "model hrp:2"),
            ("equal-weight:ewma", "refused --strategy: equal-weight takes no estimator suffix"),
            ("min-variance:foo", "refused --strategy: unknown estimator 'foo' in 'min-variance:foo'; valid: min-variance,"),
            ("nonsense", "refused --strategy must be one of equal-weight, inverse-vol,"),
        ])
    func strategy(_ text: String, expected: String) {
        let outcome: String
        do {
            switch try BacktestJob.Strategy(parsing: text) {
            case .baseline(let spec): outcome = "baseline \(spec.name)"
            case .model(let reference): outcome = "model \(reference)"
            }
        } catch {
            #expect(error.exitStatus == 64)
            outcome = "refused \(error.description)"
        }
        #expect(expected.hasPrefix("refused") ? outcome.hasPrefix(expected) : outcome == expected, "\(outcome)")
    }

    @Test(
        "evaluate --reference: a baseline's normalised name, else the text",
        arguments: [
            ("equal-weight", "equal-weight"),
            ("min-variance:sample", "min-variance"),
            ("risk-parity:ewma", "risk-parity:ewma"),
            ("tiny:2", "tiny:2"),
            ("hrp:2", "hrp:2"),
            ("my-recipe", "my-recipe"),
            ("equal-weight:ewma", "refused --reference: equal-weight takes no estimator suffix"),
            ("hrp:foo", "refused --reference: unknown estimator 'foo' in 'hrp:foo'"),
        ])
    func reference(_ text: String, expected: String) {
        let outcome: String
        do { outcome = try EvaluationStudy.referenceName(text) } catch { outcome = "refused \(error.description)" }
        #expect(expected.hasPrefix("refused") ? outcome.hasPrefix(expected) : outcome == expected, "\(outcome)")
    }
}
