import Support

/// One line of a version's `training-log.jsonl`: an epoch of one ensemble member. Written by
/// an encoder, so a non-finite loss or Sharpe becomes `null` and the line stays valid JSON.
struct TrainingLogLine: Encodable, Sendable {
    let member: Int
    let epoch: Int
    @NullWhenAbsent var loss: Double?
    @NullWhenAbsent var validationSharpe: Double?

    enum CodingKeys: String, CodingKey {
        case member, epoch, loss
        case validationSharpe = "validation_sharpe"
    }

    init(_ epoch: PolicyTrainer.Epoch) {
        member = epoch.member
        self.epoch = epoch.epoch
        loss = epoch.loss.isFinite ? epoch.loss : nil
        validationSharpe = epoch.validationSharpe.flatMap { $0.isFinite ? $0 : nil }
    }
}
