import Foundation

extension SVGChart {
    /// Lines of a value (Sharpe) against positive capitals on a log axis, a dot at each
    /// measured point, a dashed line at 0 when the values cross it; a nil value breaks its line. Colours, emphasis and legend as `lines`,
    /// so an allocator has the same colour here as on the report's other charts.
    static func capacity(
        id: String, levels: [Double], series: [(name: String, values: [Double?])], strong: Set<String>,
        format: (Double) -> String
    ) -> String {
        let all = series.flatMap { $0.values.compactMap { $0 } }
        guard let low = all.min(), let high = all.max(), let first = levels.first, let last = levels.last else {
            return "<svg id=\"\(id)\"></svg>"
        }
        let span = high > low ? high - low : 1
        let (logLow, logHigh) = (Foundation.log10(first), Foundation.log10(last))
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom
        func x(_ level: Double) -> Double {
            logHigh > logLow ? left + plotWidth * (Foundation.log10(level) - logLow) / (logHigh - logLow) : left + plotWidth / 2
        }
        func y(_ v: Double) -> Double { top + plotHeight * (1 - (v - low) / span) }
        var svg = "<svg id=\"\(id)\" class=\"chart\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\">"
        for k in 0...4 {
            let value = low + span * Double(k) / 4
            svg += "<line x1=\"\(left)\" x2=\"\(width - right)\" y1=\"\(y(value))\" y2=\"\(y(value))\" class=\"grid\"/>"
            svg += "<text x=\"\(left - 6)\" y=\"\(y(value) + 4)\" text-anchor=\"end\">\(format(value))</text>"
        }
        if low < 0 && high > 0 {
            // Sharpe 0: below it, cash does better.
            svg +=
                "<line x1=\"\(left)\" x2=\"\(width - right)\" y1=\"\(y(0))\" y2=\"\(y(0))\" stroke=\"#888\" stroke-dasharray=\"4 3\"/>"
        }
        for level in levels {
            svg +=
                "<text x=\"\(String(format: "%.1f", x(level)))\" y=\"\(height - 8)\" text-anchor=\"middle\">$\(dollars(level))</text>"
        }
        let colors = colors(series.count)
        for (k, line) in series.enumerated() {
            let bold = strong.isEmpty || strong.contains(line.name)
            let emphasis = bold ? "stroke-width=\"2.2\"" : "stroke-width=\"1\" stroke-opacity=\"0.35\""
            var path = ""
            var pen = false
            for (level, value) in zip(levels, line.values) {
                guard let value else {
                    pen = false
                    continue
                }
                let point = "\(String(format: "%.1f", x(level))),\(String(format: "%.1f", y(value)))"
                path += "\(pen ? "L" : "M")\(point)"
                pen = true
                svg +=
                    "<circle cx=\"\(String(format: "%.1f", x(level)))\" cy=\"\(String(format: "%.1f", y(value)))\" r=\"\(bold ? 3 : 2)\" fill=\"\(colors[k])\"/>"
            }
            svg +=
                "<path d=\"\(path)\" stroke=\"\(colors[k])\" fill=\"none\" \(emphasis)><title>\(escape(line.name))</title></path>"
        }
        svg += legend(series.enumerated().map { k, line in (line.name, colors[k], strong.contains(line.name)) }, height: height)
        return svg + "</svg>"
    }

    /// A capital in USD, short: `100k`, `10M`, `1B`, `2.5T`.
    static func dollars(_ value: Double) -> String {
        let units: [(Double, String)] = [(1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")]
        for (scale, suffix) in units where value >= scale { return String(format: "%g", value / scale) + suffix }
        return String(format: "%g", value)
    }
}
