import TensorModule

/// Early stopping with best-epoch restore, one value for every trainer: it keeps the best
/// validation score and the parameters that scored it, counts the epochs since, says when
/// patience has run out, and puts the best parameters back at the end.
///
/// A score improves only when it beats the best by more than `minimumImprovement` in the
/// direction of `goal`; a missing score (nil, e.g. a validation Sharpe that is undefined)
/// never improves. Keras' `EarlyStopping(restore_best_weights=True)` is the model.
package struct EarlyStopping<Scalar: TensorScalar>: Sendable {
    /// Which way a score is better.
    package enum Goal: Sendable {
        /// Higher is better (a Sharpe ratio).
        case maximise
        /// Lower is better (a loss).
        case minimise
    }

    package let goal: Goal
    /// Epochs without improvement after which training stops.
    package let patience: Int
    /// How much better a score must be to count as an improvement.
    package let minimumImprovement: Double
    /// The best score so far (the starting score before any epoch).
    package private(set) var bestScore: Double
    /// The parameter values that scored `bestScore`, in the parameters' order.
    package private(set) var bestValues: [Tensor<Scalar>]
    /// Epochs since the last improvement.
    package private(set) var epochsSinceBest: Int

    /// Starts from `parameters` as they are, scored `startingScore` (nil: the worst score).
    package init(
        goal: Goal, patience: Int, minimumImprovement: Double, startingScore: Double?, parameters: [Parameter<Scalar>]
    ) {
        self.goal = goal
        self.patience = patience
        self.minimumImprovement = minimumImprovement
        self.bestScore = startingScore ?? (goal == .maximise ? -.infinity : .infinity)
        self.bestValues = parameters.map(\.value)
        self.epochsSinceBest = 0
    }

    /// The state as saved by a checkpoint.
    package init(
        goal: Goal, patience: Int, minimumImprovement: Double, bestScore: Double, bestValues: [Tensor<Scalar>],
        epochsSinceBest: Int
    ) {
        self.goal = goal
        self.patience = patience
        self.minimumImprovement = minimumImprovement
        self.bestScore = bestScore
        self.bestValues = bestValues
        self.epochsSinceBest = epochsSinceBest
    }

    /// Whether patience has run out.
    package var shouldStop: Bool { epochsSinceBest >= patience }

    /// Records an epoch's score; keeps the parameters when it improves.
    /// - Returns: whether the score improved on the best.
    @discardableResult
    package mutating func record(_ score: Double?, parameters: [Parameter<Scalar>]) -> Bool {
        let improved: Bool
        switch (score, goal) {
        case (nil, _): improved = false
        case (let score?, .maximise): improved = score > bestScore + minimumImprovement
        case (let score?, .minimise): improved = score < bestScore - minimumImprovement
        }
        if improved, let score {
            bestScore = score
            bestValues = parameters.map(\.value)
            epochsSinceBest = 0
        } else {
            epochsSinceBest += 1
        }
        return improved
    }

    /// Puts the best parameters back.
    package func restoreBest(into parameters: [Parameter<Scalar>]) {
        for (parameter, value) in zip(parameters, bestValues) { parameter.assign(value) }
    }
}
