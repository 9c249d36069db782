import Support
import Yams

/// Reads the values of a limits file's YAML nodes, with messages that name the file, the line
/// and column, the limit and the rule.
struct LimitsReader {
    /// The path, for messages.
    let file: String

    /// A problem at `node`'s place.
    func fail(_ node: Node?, _ message: String) -> RiskLimits.Problem {
        RiskLimits.Problem(description: "\(place(node)): \(message)")
    }

    /// `file:line:column` of `node` (the file alone without a mark).
    func place(_ node: Node?) -> String { "\(file)\(node?.mark.map { ":\($0.line):\($0.column)" } ?? "")" }

    /// A non-negative plain decimal (YAML would also read `0x10` or `.inf` as numbers), at
    /// most `upTo` when given.
    func fraction(_ node: Node, _ key: String, upTo: Double? = nil) throws(RiskLimits.Problem) -> Double {
        guard node.scalar != nil, let value = node.string.flatMap(DecimalNumber.parse), value.isFinite else {
            throw fail(node, "\(key) must be a number; found '\(node.string ?? "")'")
        }
        guard value >= 0 else { throw fail(node, "\(key) must not be negative; found \(value)") }
        if let upTo, value > upTo { throw fail(node, "\(key) must be at most \(upTo); found \(value)") }
        return value
    }

    /// The caps of a limit that maps names to caps (`asset_max`, the regime caps), each name
    /// with the place it was written.
    func caps(_ node: Node, _ limit: LimitName) throws(RiskLimits.Problem) -> [((text: String, place: String), Double)] {
        guard let entries = node.mapping else { throw fail(node, "\(limit.rawValue) must map names to caps") }
        var caps: [((text: String, place: String), Double)] = []
        for (nameNode, capNode) in entries {
            let name = nameNode.string ?? ""
            caps.append(((name, place(nameNode)), try fraction(capNode, "\(limit.rawValue).\(name)")))
        }
        return caps
    }
}
