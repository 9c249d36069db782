import ArgumentParser
import Foundation
import Market

/// A failure a command reports to the user, with the contract's exit status.
struct CommandFailure: Error, CustomStringConvertible {
    /// The message, without the `error: ` prefix.
    let description: String
    /// 64 usage, 65 bad data, 66 missing input, 70 internal, 75 stale.
    let status: Int32
}

/// Runs a command body, mapping every failure to a message on stderr and the contract's
/// exit status, in one place: bad data 65, missing input 66, anything unexpected 70 with
/// "internal error". `ValidationError` and `ExitCode` pass through to ArgumentParser (64).
func withExitStatus(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as DatasetError {
        printError(error.description)
        throw ExitCode(error.isMissingInput ? 66 : 65)
    } catch let failure as CommandFailure {
        printError(failure.description)
        throw ExitCode(failure.status)
    } catch let error as ValidationError {
        throw error
    } catch let error as ExitCode {
        throw error
    } catch {
        printError("internal error: \(error)")
        throw ExitCode(70)
    }
}

/// Writes one line to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
}

/// Writes human text (summaries, progress) to standard error.
func printNote(_ message: String) {
    FileHandle.standardError.write(Data((message.hasSuffix("\n") ? message : message + "\n").utf8))
}
