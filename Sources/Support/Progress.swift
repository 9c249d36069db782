import Foundation

/// Progress of a long command on stderr: on a terminal one line redrawn in place (a bar, the
/// count, the rate and the time left); otherwise, or with `--quiet` off for logs, plain lines
/// (a scheduler's log gets one line per step, never carriage returns); nothing when quiet.
package final class Progress: @unchecked Sendable {
    /// How progress is shown.
    package enum Style: Sendable {
        /// One line redrawn with `\r` (stderr is a terminal).
        case bar
        /// One line per step.
        case lines
        /// Nothing.
        case quiet
    }

    private let style: Style
    private let total: Int
    private let label: String
    private let unit: String
    private let started = Date()
    private var done = 0
    private let lock = NSLock()

    /// - Parameters:
    ///   - quiet: `--quiet`: show nothing.
    ///   - unit: what a step is, for the rate (`runs`, `epochs`).
    package init(_ label: String, total: Int, unit: String, quiet: Bool, style: Style? = nil) {
        self.label = label
        self.total = Swift.max(total, 1)
        self.unit = unit
        self.style = quiet ? .quiet : (style ?? (isatty(STDERR_FILENO) == 1 ? .bar : .lines))
    }

    /// Counts one step, with a detail for plain lines.
    package func step(_ detail: String = "") {
        lock.lock()
        defer { lock.unlock() }
        done += 1
        let elapsed = Date().timeIntervalSince(started)
        let rate = Double(done) / Swift.max(elapsed, 1e-9) * 60
        let left = Double(total - done) / Swift.max(Double(done) / Swift.max(elapsed, 1e-9), 1e-9)
        let figures = "\(done)/\(total) \(unit), \(String(format: "%.1f", rate))/min, ~\(Self.clock(left)) left"
        switch style {
        case .quiet: return
        case .lines:
            FileHandle.standardError.write(Data("\(label): \(figures)\(detail.isEmpty ? "" : ": " + detail)\n".utf8))
        case .bar:
            let width = 24
            let filled = Swift.min(width, done * width / total)
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            let end = done >= total ? "\n" : ""
            FileHandle.standardError.write(Data("\r\u{1B}[K\(label) [\(bar)] \(figures)\(end)".utf8))
        }
    }

    /// Ends the bar's line when it stopped short of the total (early stopping); the last step
    /// of a full bar ends it itself.
    package func finish() {
        lock.lock()
        defer { lock.unlock() }
        if style == .bar && done > 0 && done < total { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    /// A status line that is not a step (training's choice of a starting sleeve): redrawn in
    /// place on a terminal, a plain line otherwise, nothing when quiet.
    package static func status(_ line: String, quiet: Bool) {
        guard !quiet else { return }
        let text = isatty(STDERR_FILENO) == 1 ? "\r\u{1B}[K" + line : line + "\n"
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// `m:ss` or `h:mm:ss`.
    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600
            ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
