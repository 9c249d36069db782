/// Whether two arrays agree elementwise to `relative` (scaled by the larger magnitude) or
/// `absolute`; returns the first disagreement for the message.
package func firstDisagreement(
    _ actual: [Double], _ expected: [Double], relative: Double = 1e-10, absolute: Double = 1e-12
) -> String? {
    guard actual.count == expected.count else { return "counts differ: \(actual.count) vs \(expected.count)" }
    for (index, (a, e)) in zip(actual, expected).enumerated() {
        let difference = Swift.abs(a - e)
        if !(difference <= absolute || difference <= relative * Swift.max(Swift.abs(a), Swift.abs(e))) {
            return "element \(index): \(a) vs expected \(e)"
        }
    }
    return nil
}
