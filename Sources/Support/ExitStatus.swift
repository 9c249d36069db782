/// The exit statuses of the contract (section 5), in one place: every error a command can
/// report carries its status, so no command decides it again.
package enum ExitStatus {
    /// A bad command line (ArgumentParser's own status).
    package static let usage: Int32 = 64
    /// Bad data, a bad limits file, a limit that cannot hold.
    package static let badData: Int32 = 65
    /// A missing or damaged input (file, model version, registry entry).
    package static let missingInput: Int32 = 66
    /// An unexpected failure ("internal error"), including a model that produced nonsense.
    package static let internalFailure: Int32 = 70
    /// Data older than the decision date allows.
    package static let stale: Int32 = 75
}

/// An error with a message for a person and the contract's exit status.
package protocol ReportableError: Error, CustomStringConvertible {
    /// The status the process exits with when this error ends it.
    var exitStatus: Int32 { get }
}
