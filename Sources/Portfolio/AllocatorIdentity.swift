/// Who an allocator is, as reports and weights files name it: a baseline by its rule, a
/// model by its registry name and version (`NAME:VERSION`).
package struct AllocatorIdentity: Sendable, Equatable, CustomStringConvertible {
    /// `baseline`, `model` or `recipe` (a training config retrained walk-forward), as the
    /// contract's files spell it.
    package enum Kind: String, Sendable {
        case baseline, model, recipe
    }

    package let kind: Kind
    /// The baseline's rule or the model's name.
    package let name: String
    /// The model's version (nil for baselines and for a model not yet published).
    package let version: Int?

    package init(kind: Kind, name: String, version: Int? = nil) {
        self.kind = kind
        self.name = name
        self.version = version
    }

    /// `name`, or `NAME:VERSION` for a published model.
    package var description: String { version.map { "\(name):\($0)" } ?? name }
}
