import LinearAlgebra

extension GaussianHMM {
    /// The first rule a decoded model breaks, or nil when it is a usable model: sizes that
    /// agree with `states` and `dimensions`, finite parameters, start and transition rows
    /// that are probability vectors, and covariances that are symmetric, positive definite
    /// and (for `diag`) diagonal. A model file is read from disk, so it can be damaged or
    /// tampered with; filtering a model that breaks one of these would trap or give nonsense.
    package var brokenRule: String? {
        let (k, d) = (states, dimensions)
        guard k >= 1, d >= 1 else { return "states and dimensions must be at least 1; found \(k) and \(d)" }
        guard k <= Self.maximumStates, d <= Self.maximumDimensions else {
            return "at most \(Self.maximumStates) states of \(Self.maximumDimensions) dimensions; found \(k) of \(d)"
        }
        let sizes: [(String, Int, Int)] = [
            ("startProbabilities", startProbabilities.count, k), ("transitions", transitions.count, k * k),
            ("means", means.count, k * d), ("covariances", covariances.count, k * d * d),
        ]
        for (field, count, expected) in sizes where count != expected {
            return "\(field) has \(count) values; \(k) states of dimension \(d) need \(expected)"
        }
        for (field, values) in [
            ("startProbabilities", startProbabilities), ("transitions", transitions), ("means", means),
            ("covariances", covariances),
        ] where values.contains(where: { !$0.isFinite }) {
            return "\(field) has a value that is not finite"
        }
        if let problem = Self.probabilityProblem(startProbabilities) { return "startProbabilities \(problem)" }
        for row in 0..<k {
            if let problem = Self.probabilityProblem(Array(transitions[(row * k)..<((row + 1) * k)])) {
                return "transitions row \(row) \(problem)"
            }
        }
        for s in 0..<k {
            let sigma = Array(covariances[(s * d * d)..<((s + 1) * d * d)])
            for i in 0..<d {
                for j in 0..<i where sigma[i * d + j] != sigma[j * d + i] {
                    return "covariance of state \(s) is not symmetric"
                }
                for j in 0..<d where covarianceType == .diag && i != j && sigma[i * d + j] != 0 {
                    return "covariance of state \(s) has an off-diagonal value in a diagonal model"
                }
            }
            guard (try? Cholesky(symmetric: sigma, order: d)) != nil else {
                return "covariance of state \(s) is not positive definite"
            }
        }
        return nil
    }

    /// The largest model a file may describe (fitted models have a handful of states).
    package static let maximumStates = 64
    /// The largest observation dimension a file may describe.
    package static let maximumDimensions = 256

    private static func probabilityProblem(_ values: [Double]) -> String? {
        if values.contains(where: { $0 < 0 }) { return "has a negative probability" }
        let total = values.reduce(0, +)
        return abs(total - 1) <= 1e-6 ? nil : "sums to \(total), not 1"
    }
}
