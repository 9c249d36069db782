import ArgumentParser
import Foundation
import Support

/// A refusal of a command itself (an option that does not fit the data, a clash with an
/// existing output), with the contract's exit status. Library errors carry their own status
/// (`ReportableError`) and are never wrapped in it.
package struct CommandFailure: ReportableError {
    /// The message, without the `error: ` prefix.
    package let description: String
    /// 64 usage, 65 bad data, 66 missing input, 70 internal, 75 stale (`ExitStatus`).
    package let exitStatus: Int32

    package init(description: String, status: Int32) {
        self.description = description
        exitStatus = status
    }
}

/// The one map from errors to exit statuses, shared by `regimen` and `regimen-infer`: runs a
/// command body and maps every failure to a message on stderr and the contract's exit status.
/// A `ReportableError` exits with its own status, anything unexpected with 70 and "internal
/// error". `ValidationError` and `ExitCode` pass through to ArgumentParser (64, or their own).
package func withExitStatus(_ body: () throws -> Void) throws {
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
package func printError(_ message: String) {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
}

/// Writes human text (summaries, progress) to standard error.
package func printNote(_ message: String) {
    FileHandle.standardError.write(Data((message.hasSuffix("\n") ? message : message + "\n").utf8))
}
