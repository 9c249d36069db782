import ArgumentParser

struct ModelsCommand: ParsableCommand { static let configuration = CommandConfiguration(commandName: "models") }
