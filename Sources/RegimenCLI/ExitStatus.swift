import ArgumentParser
import Foundation
import Support

/// A failure a command reports to the user, with the contract's exit status.
struct CommandFailure: ReportableError {
    /// The message, without the `error: ` prefix.
    let description: String
    /// 64 usage, 65 bad data, 66 missing input, 70 internal, 75 stale (`ExitStatus`).
    let status: Int32

    var exitStatus: Int32 { status }
}

/// Runs a command body, mapping every failure to a message on stderr and the contract's
/// exit status, in one place: a `ReportableError` exits with its own status, anything
/// unexpected with 70 and "internal error". `ValidationError` and `ExitCode` pass through
/// to ArgumentParser (64).
func withExitStatus(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let failure as any ReportableError {
        printError(failure.description)
        throw ExitCode(failure.exitStatus)
    } catch let error as ValidationError {
        throw error
    } catch let error as ExitCode {
        throw error
    } catch {
        printError("internal error: \(error)")
        throw ExitCode(ExitStatus.internalFailure)
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
