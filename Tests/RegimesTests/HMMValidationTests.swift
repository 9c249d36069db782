import Foundation
import Regimes
import Testing

/// A model file can be damaged or tampered with: each broken rule is named, and a sound
/// model (the negative control) passes.
@Suite("Gaussian HMM validation of a decoded model")
struct HMMValidationTests {
    /// The reference model's JSON with one field replaced by `json`.
    static func decoded(replacing field: String, with json: String) throws -> GaussianHMM {
        var object =
            try JSONSerialization.jsonObject(with: JSONEncoder().encode(HMMBehaviourTests.truth)) as! [String: Any]
        object[field] = try JSONSerialization.jsonObject(with: Data(json.utf8), options: .fragmentsAllowed)
        return try JSONDecoder().decode(GaussianHMM.self, from: JSONSerialization.data(withJSONObject: object))
    }

    static let cases: [(field: String, json: String, rule: String?)] = [
        ("states", "3", nil),
        ("states", "4", "startProbabilities has 3 values; 4 states of dimension 2 need 4"),
        ("states", "0", "states and dimensions must be at least 1"),
        ("dimensions", "100000", "at most 64 states of 256 dimensions"),
        ("means", "[0.5, 0.0, -0.5, 1.0, 0.0]", "means has 5 values"),
        ("startProbabilities", "[0.6, 0.3, 0.2]", "startProbabilities sums to"),
        ("startProbabilities", "[1.2, -0.3, 0.1]", "startProbabilities has a negative probability"),
        ("transitions", "[0.95, 0.04, 0.01, 0.05, 0.9, 0.05, 0.02, 0.08, 0.8]", "transitions row 2 sums to"),
        (
            "covariances", "[0.2, 0.05, 0.04, 0.3, 1.0, -0.3, -0.3, 0.8, 4.0, 1.0, 1.0, 2.0]",
            "covariance of state 0 is not symmetric"
        ),
        (
            "covariances", "[0.2, 0.05, 0.05, 0.3, 1.0, -0.3, -0.3, 0.8, 1.0, 2.0, 2.0, 1.0]",
            "covariance of state 2 is not positive definite"
        ),
        ("covarianceType", #""diag""#, "covariance of state 0 has an off-diagonal value in a diagonal model"),
    ]

    @Test("each broken rule is named; the sound model passes", arguments: cases.indices)
    func brokenRules(index: Int) throws {
        let testCase = Self.cases[index]
        let model = try Self.decoded(replacing: testCase.field, with: testCase.json)
        if let rule = testCase.rule {
            #expect(model.brokenRule?.contains(rule) == true, "\(testCase.field): \(model.brokenRule ?? "passed")")
        } else {
            #expect(model.brokenRule == nil)
        }
    }

    @Test("a non-finite parameter is refused")
    func nonFinite() {
        var model = HMMBehaviourTests.truth
        #expect(model.brokenRule == nil)
        model.means[3] = .infinity
        #expect(model.brokenRule == "means has a value that is not finite")
    }
}
