/// What the build itself knows about where it came from: the git revision of the checkout it
/// was built in (`git rev-parse HEAD`, stamped by the `RevisionStamp` plugin), so a binary
/// copied out of the checkout still names it; `unknown` when the build had no git checkout.
package enum BuildStamp {
    /// The full revision, or `unknown`.
    package static var revision: String { buildRevision }
}
