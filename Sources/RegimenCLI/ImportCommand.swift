import ArgumentParser

struct ImportCommand: ParsableCommand { static let configuration = CommandConfiguration(commandName: "import", abstract: "Convert exchange and vendor exports to a dataset directory.") }
