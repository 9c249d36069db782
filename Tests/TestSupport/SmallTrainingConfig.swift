import Training

extension TrainingConfig {
    /// A config small enough for a test to train in about a second on the signal market:
    /// 2 regimes from one restart, one hidden layer of 8, windows of 10, batches of 8.
    package static func small(epochs: Int, stepsPerEpoch: Int, ensemble: Int = 1) -> TrainingConfig {
        var config = TrainingConfig()
        config.regimeStates = 2
        config.regimeRestarts = 1
        config.hidden = [8]
        config.window = 10
        config.batch = 8
        config.epochs = epochs
        config.stepsPerEpoch = stepsPerEpoch
        config.ensemble = ensemble
        return config
    }
}
