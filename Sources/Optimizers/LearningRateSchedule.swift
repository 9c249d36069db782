import RealModule

/// A learning rate as a function of the step number (0-based), set on the optimiser before
/// each step: `optimizer.learningRate = schedule.rate(atStep: step)`.
package protocol LearningRateSchedule: Sendable {
    /// The learning rate for step `step`.
    func rate(atStep step: Int) -> Double
}

/// Multiplies the base rate by `factor` every `interval` steps (PyTorch's `StepLR`).
package struct StepDecay: LearningRateSchedule {
    /// The rate at step 0.
    package let base: Double
    /// Steps between decays.
    package let interval: Int
    /// The factor applied at each decay.
    package let factor: Double

    /// - Precondition: `interval > 0`.
    package init(base: Double, interval: Int, factor: Double) {
        precondition(interval > 0, "StepDecay: interval must be positive, got \(interval)")
        self.base = base
        self.interval = interval
        self.factor = factor
    }

    package func rate(atStep step: Int) -> Double {
        base * Double.pow(factor, Double(step / interval))
    }
}

/// Linear warm-up from 0 to `peak` over `warmupSteps`, then cosine decay to `floor` at
/// `totalSteps` (held there afterwards):
/// `floor + (peak - floor) * (1 + cos(pi * progress)) / 2`.
package struct CosineWithWarmup: LearningRateSchedule {
    /// The rate at the end of warm-up.
    package let peak: Double
    /// The final rate.
    package let floor: Double
    /// Steps of linear warm-up.
    package let warmupSteps: Int
    /// The step at which the rate reaches `floor`.
    package let totalSteps: Int

    /// - Precondition: `0 <= warmupSteps <= totalSteps`, `totalSteps > 0`.
    package init(peak: Double, floor: Double = 0, warmupSteps: Int, totalSteps: Int) {
        precondition(
            warmupSteps >= 0 && warmupSteps <= totalSteps && totalSteps > 0,
            "CosineWithWarmup: need 0 <= warmupSteps <= totalSteps and totalSteps > 0")
        self.peak = peak
        self.floor = floor
        self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps
    }

    package func rate(atStep step: Int) -> Double {
        if step < warmupSteps { return peak * Double(step + 1) / Double(warmupSteps) }
        if step >= totalSteps { return floor }
        let decaySteps = max(totalSteps - warmupSteps, 1)
        let progress = Double(step - warmupSteps) / Double(decaySteps)
        return floor + (peak - floor) * (1 + Double.cos(Double.pi * progress)) / 2
    }
}
