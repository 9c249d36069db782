import ArgumentParser

/// `regimen-infer`: the daily job that turns a model version into today's weights under risk
/// limits (contract section 6). Its inference path lands with the inference issue.
@main
struct RegimenInfer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "regimen-infer",
        abstract: "Write today's portfolio weights from a model version, under risk limits.",
        version: "0.1.0")
}
