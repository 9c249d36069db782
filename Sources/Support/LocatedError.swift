/// An error from reading or using a file, with the file named in front of its message and its
/// exit status unchanged (`recipe.yaml: the training range has too few rows ...`).
package struct LocatedError: ReportableError {
    /// The file (or other place) the error comes from.
    package let place: String
    package let underlying: any ReportableError

    package init(place: String, _ underlying: any ReportableError) {
        self.place = place
        self.underlying = underlying
    }

    package var description: String { "\(place): \(underlying.description)" }
    package var exitStatus: Int32 { underlying.exitStatus }
}
