import Artifacts
import Foundation
import Market
import Regimes

extension DailyInference.Outcome {
    /// The weights explained for a person (`regimen-infer --explain`, on stderr): the regime,
    /// each asset's weight from the model and after the limits, the limits that bound, the
    /// risk figures.
    package var explanation: String {
        var lines = ["Weights for \(file.asOf) from \(file.source.name):\(file.source.version ?? "?")"]
        if let regime = regime {
            lines.append(
                "  regime \(regime.label.description) with filtered probability \(String(format: "%.2f", regime.probability))")
        }
        lines.append("  asset        model    final")
        for name in file.weights.keys.sorted() {
            let raw = raw[name] ?? 0
            let final = file.weights[name] ?? 0
            guard raw != 0 || final != 0 else { continue }
            lines.append(
                "  " + name.padding(toLength: 10, withPad: " ", startingAt: 0)
                    + String(format: " %7.2f%% %7.2f%%", raw * 100, final * 100))
        }
        lines.append(
            "  limits that bound: "
                + (file.limits.binding.isEmpty ? "none" : file.limits.binding.joined(separator: ", ")))
        if !file.limits.relaxed.isEmpty {
            lines.append("  relaxed (hard limits won): " + file.limits.relaxed.joined(separator: ", "))
        }
        if let risk = file.risk, let volatility = risk.volAnnual, let valueAtRisk = risk.valueAtRisk,
            let shortfall = risk.expectedShortfall
        {
            lines.append(
                String(
                    format: "  risk: vol %.1f%% a year, VaR %.2f%%, ES %.2f%% at %.0f%%", volatility * 100, valueAtRisk * 100,
                    shortfall * 100, risk.confidence * 100))
        } else {
            lines.append("  risk: not measurable (the risk window is longer than the history)")
        }
        if let unmeasured = file.limits.unmeasured {
            lines.append("  held at 0, risk not measurable: " + unmeasured.joined(separator: ", "))
        }
        if let tradeCost { lines.append(tradeCost.explanation) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The one status line a scheduler's log keeps: date, version, data range, the limits that
    /// bound, what was written and the wall time.
    package func summaryLine(version: String, result: String, wallMilliseconds: Int) -> String {
        var binding = file.limits.binding.isEmpty ? "none" : file.limits.binding.joined(separator: ",")
        if let unmeasured = file.limits.unmeasured { binding += " unmeasured=\(unmeasured.joined(separator: ","))(held at 0)" }
        // Plain interpolation: `String(format:)` with `%@` reads a Swift string's inline bytes
        // as a pointer on Linux (a model named "hedged" crashed the job).
        return "regimen-infer: as_of=\(file.asOf) model=\(version) data=\(dataRange.first)..\(dataRange.last) "
            + "binding=\(binding) \(result) wall=\(wallMilliseconds)ms\n"
    }
}
